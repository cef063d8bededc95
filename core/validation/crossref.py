"""Checks across records: no two records share an id with different content, and every
contained_in names a ledger entry present in the run.

These are the only checks whose memory grows with the input: an open-addressing table of machine
words per distinct record id (the id, a digest of the content, where it was first seen): 46 to 90
bytes an id (the most while the table doubles), where a dict of Python ints took 160; never the
records themselves. 200,000 records add about 25 MB.
Serialising every record canonically to compare contents would cost a fifth of the validation
time, so a line read from a regular file is digested as the bytes it is; only when an id comes
back with other bytes are the two records compared canonically, the first one read again from its
file by offset. Records from standard input, gzip files and JSON arrays are digested canonically.
"""
from __future__ import annotations

import json
from array import array

_ENCODE = json.JSONEncoder(sort_keys=True, separators=(",", ":"), ensure_ascii=False, check_circular=False).encode
_MASK64 = (1 << 64) - 1
_LINE_BITS = 40


def canonical_digest(record) -> int:
    """The same for the same content however the keys were ordered or spaced in the file."""
    return hash(_ENCODE(record)) & _MASK64


class IdTable:
    """id (64-bit int) -> (digest, place, offset + 1 or 0) in four parallel arrays, linear probing.
    Ids are hashes already, so their low bits spread well enough to index slots directly."""

    def __init__(self, capacity: int = 1 << 12):
        self._allocate(capacity)
        self.zero = None              # the one id that is 0 would look like an empty slot: kept apart

    def _allocate(self, capacity: int) -> None:
        self.mask = capacity - 1
        self.count = 0
        empty = bytes(8 * capacity)
        self.keys, self.digests = array("Q", empty), array("Q", empty)
        self.places, self.offsets = array("Q", empty), array("Q", empty)

    def _slot(self, key: int) -> int:
        keys, mask = self.keys, self.mask
        slot = key & mask
        while keys[slot] and keys[slot] != key:
            slot = (slot + 1) & mask
        return slot

    def get(self, key: int):
        if key == 0:
            return self.zero
        slot = self._slot(key)
        if not self.keys[slot]:
            return None
        return self.digests[slot], self.places[slot], self.offsets[slot]

    def put(self, key: int, digest: int, place: int, offset: int) -> None:
        if key == 0:
            self.zero = (digest, place, offset)
            return
        if (self.count + 1) * 10 > (self.mask + 1) * 7:
            self._grow()
        slot = self._slot(key)
        self.count += not self.keys[slot]
        self.keys[slot], self.digests[slot], self.places[slot], self.offsets[slot] = key, digest, place, offset

    def _grow(self) -> None:
        old = (self.keys, self.digests, self.places, self.offsets)
        self._allocate((self.mask + 1) * 2)
        for key, digest, place, offset in zip(*old):
            if key:
                self.put(key, digest, place, offset)

    def __contains__(self, key: int) -> bool:
        return self.get(key) is not None


class CrossIndex:
    def __init__(self):
        self.files: list = []
        self._tables = {"q_": IdTable(), "s_": IdTable()}   # ledger entry ids, sighting ids
        self._wanted: list = []       # (quote id, file number, line, path) from contained_in
        self._elsewhere: set = set()  # entry ids of the rest of the set (--refs-from), as ints

    def file_number(self, path: str) -> int:
        self.files.append(path)
        return len(self.files) - 1

    def add(self, record: dict, file_no: int, line: int, raw: bytes | None = None, offset: int | None = None):
        """None, or (path, rule, message, value) when the id was seen before with other content."""
        record_id = record["id"]
        table, key = self._tables[record_id[:2]], int(record_id[2:], 16)
        by_bytes = raw is not None and offset is not None
        digest = (hash(raw) & _MASK64) if by_bytes else canonical_digest(record)
        first = table.get(key)
        if first is None:
            table.put(key, digest, file_no << _LINE_BITS | line, offset + 1 if by_bytes else 0)
            return None
        first_digest, first_place, first_offset = first
        if first_digest == digest and bool(first_offset) == by_bytes:
            return None               # the same record twice: harmless
        first_file = first_place >> _LINE_BITS
        if self._first_canonical(first_file, first_offset, first_digest) == canonical_digest(record):
            return None               # the same content, written differently
        where = f"{self.files[first_file]}:{first_place & ((1 << _LINE_BITS) - 1)}"
        return ("$.id", "duplicate-id", f"the same id as the record at {where}, with other content", record_id)

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

    def know(self, entry_id: str) -> None:
        """An entry of the rest of the set (a --refs-from file): a reference may name it."""
        self._elsewhere.add(int(entry_id[2:], 16))

    def dangling(self, hint: str = ""):
        """(file, line, path, rule, message, value) for each contained_in naming no entry, in input order."""
        entries, elsewhere = self._tables["q_"], self._elsewhere
        for qid, file_no, line, path in self._wanted:
            key = int(qid[2:], 16)
            if key not in entries and key not in elsewhere:
                yield (self.files[file_no], line, path, "quote-ref",
                       "names no ledger entry in the files validated" + hint, qid)
