"""Checks across records: no two records share an id with different content, and every
contained_in names a ledger entry present in the run.

These are the only checks whose memory grows with the input: one packed integer per distinct record
id (a digest of the content and where it was first seen), about 100 bytes each, never the records.
Serialising every record canonically to compare contents would cost a fifth of the validation
time, so a line read from a regular file is digested as the bytes it is; only when an id comes
back with other bytes are the two records compared canonically, the first one read again from its
file by offset. Records from standard input, gzip files and JSON arrays are digested canonically.
"""
from __future__ import annotations

import json

_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False).encode
_MASK64 = (1 << 64) - 1
_PREFIX_BIT = 1 << 64                 # keeps q_ (entry) and s_ (sighting) ids apart in one table
# Layout of a packed entry, low bits first: line (40), file number (24), offset + 1 (48, 0 for a
# canonical digest), digest (64).
_LINE, _FILE, _OFFSET = 40, 24, 48


def canonical_digest(record) -> int:
    """The same for the same content however the keys were ordered or spaced in the file."""
    return hash(_ENCODE(record)) & _MASK64


def _key(record_id: str) -> int:
    return int(record_id[2:], 16) | (_PREFIX_BIT if record_id.startswith("q_") else 0)


class CrossIndex:
    def __init__(self):
        self.files: list = []
        self._seen: dict = {}         # id key -> packed entry
        self._wanted: list = []       # (quote id, file number, line, path) from contained_in

    def file_number(self, path: str) -> int:
        self.files.append(path)
        return len(self.files) - 1

    def add(self, record: dict, file_no: int, line: int, raw: bytes | None = None, offset: int | None = None):
        """None, or (path, rule, message, value) when the id was seen before with other content."""
        key = _key(record["id"])
        by_bytes = raw is not None and offset is not None
        digest = (hash(raw) & _MASK64) if by_bytes else canonical_digest(record)
        packed = self._seen.get(key)
        if packed is None:
            stored_offset = offset + 1 if by_bytes else 0
            self._seen[key] = ((digest << _OFFSET | stored_offset) << _FILE | file_no) << _LINE | line
            return None
        first_line, first_file = packed & ((1 << _LINE) - 1), (packed >> _LINE) & ((1 << _FILE) - 1)
        first_offset = (packed >> (_LINE + _FILE)) & ((1 << _OFFSET) - 1)
        first_digest = packed >> (_LINE + _FILE + _OFFSET)
        if first_digest == digest and (first_offset > 0) == by_bytes:
            return None               # the same record twice: harmless
        if self._first_canonical(first_file, first_offset, first_digest) == canonical_digest(record):
            return None               # the same content, written differently
        where = f"{self.files[first_file]}:{first_line}"
        return ("$.id", "duplicate-id", f"the same id as the record at {where}, with other content", record["id"])

    def _first_canonical(self, file_no: int, stored_offset: int, digest: int):
        if not stored_offset:
            return digest
        try:
            with open(self.files[file_no], "rb") as fh:
                fh.seek(stored_offset - 1)
                return canonical_digest(json.loads(fh.readline()))
        except (OSError, ValueError):
            return None               # the file changed under us: cannot tell them the same

    def want(self, entry: dict, file_no: int, line: int) -> None:
        for number, qid in enumerate(entry.get("contained_in", ())):
            self._wanted.append((qid, file_no, line, f"$.contained_in[{number}]"))

    def dangling(self):
        """(file, line, path, rule, message, value) for each contained_in naming no entry, in input order."""
        for qid, file_no, line, path in self._wanted:
            if _key(qid) not in self._seen:
                yield (self.files[file_no], line, path, "quote-ref",
                       "names no ledger entry in the files validated", qid)
