"""Checks across records: no two records share an id with different content, and every
contained_in names a ledger entry present in the run.

These are the only checks whose memory grows with the input: one small entry per distinct record
id (the id as a 64-bit integer, a digest of the content and where it was first seen), about
100 bytes each, never the records themselves.
"""
from __future__ import annotations

import hashlib
import json

_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False).encode
_LINE_BITS = 40
_PREFIX_BIT = 1 << 64                 # keeps q_ (entry) and s_ (sighting) ids apart in one table


def content_digest(record) -> int:
    """The same for the same content however the keys were ordered or spaced in the file."""
    return int.from_bytes(hashlib.blake2b(_ENCODE(record).encode("utf-8"), digest_size=8).digest(), "big")


def _key(record_id: str) -> int:
    return int(record_id[2:], 16) | (_PREFIX_BIT if record_id.startswith("q_") else 0)


class CrossIndex:
    def __init__(self):
        self.files: list = []
        self._seen: dict = {}         # id key -> digest << 64 | file number << 40 | line
        self._wanted: list = []       # (quote id, file number, line, path) from contained_in

    def file_number(self, path: str) -> int:
        self.files.append(path)
        return len(self.files) - 1

    def add(self, record: dict, file_no: int, line: int):
        """None, or (path, rule, message, value) when the id was seen with other content."""
        key = _key(record["id"])
        digest = content_digest(record)
        packed = self._seen.get(key)
        if packed is None:
            self._seen[key] = digest << 64 | file_no << _LINE_BITS | line
            return None
        if packed >> 64 == digest:
            return None               # the same record twice: harmless
        where = f"{self.files[(packed >> _LINE_BITS) & 0xFFFFFF]}:{packed & ((1 << _LINE_BITS) - 1)}"
        return ("$.id", "duplicate-id", f"the same id as the record at {where}, with other content", record["id"])

    def want(self, entry: dict, file_no: int, line: int) -> None:
        for number, qid in enumerate(entry.get("contained_in", ())):
            self._wanted.append((qid, file_no, line, f"$.contained_in[{number}]"))

    def dangling(self):
        """(file, line, path, rule, message, value) for each contained_in naming no entry, in input order."""
        for qid, file_no, line, path in self._wanted:
            if _key(qid) not in self._seen:
                yield (self.files[file_no], line, path, "quote-ref",
                       "names no ledger entry in the files validated", qid)
