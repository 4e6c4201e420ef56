"""The tamper-evident chain over the history, as pure rules on plain rows (docs/integrity.md).

A history row is hashed as the canonical JSON of its columns in the backup encoding
(controlling/data/encoding.py: dates as ISO text, enums as machine values, JSON columns wrapped
as {"json": ...}, bytes as {"base64": ...}), leaving out the columns that are SQL NULL, so a
later migration that adds a nullable column keeps every earlier hash valid. Each entry of the
chain names one row (table, key), carries that row's hash and the hash of the entry before it,
and is hashed itself. Rewriting any row, entry or link changes a hash from there on.
"""

import hashlib
import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass

GENESIS = "0" * 64  # the "previous" of the first entry
CHAIN_TABLE = "history_chain"
HEAD_TABLE = "history_chain_head"
KEY_COLUMNS = {"supersessions": "recommendation_id"}  # every other history table: "id"
MAX_LISTED = 50  # problems listed by name; the count says how many there are in all


def canonical_json(value) -> bytes:
    """One byte string per value: sorted keys, no spaces, UTF-8."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"),
                      ensure_ascii=False).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def key_column(table: str) -> str:
    return KEY_COLUMNS.get(table, "id")


def row_sha256(row: Mapping) -> str:
    """The hash of one encoded row (column name -> value); SQL NULL columns are left out."""
    return sha256_hex(canonical_json({k: v for k, v in row.items() if v is not None}))


def link_sha256(seq: int, table: str, row_id: int, row_hash: str, previous: str) -> str:
    return sha256_hex(canonical_json({"previous_sha256": previous, "row_id": row_id,
                                      "row_sha256": row_hash, "seq": seq, "table": table}))


@dataclass(frozen=True)
class Entry:
    seq: int
    table_name: str
    row_id: int
    row_sha256: str
    previous_sha256: str
    chain_sha256: str


def extend(head_seq: int, head_sha256: str, rows: Iterable[tuple[str, int, str]]) -> list[Entry]:
    """The entries that append (table, row id, row hash) after the head, in the given order."""
    entries, seq, previous = [], head_seq, head_sha256
    for table, row_id, row_hash in rows:
        seq += 1
        digest = link_sha256(seq, table, row_id, row_hash, previous)
        entries.append(Entry(seq, table, row_id, row_hash, previous, digest))
        previous = digest
    return entries


@dataclass(frozen=True)
class Problem:
    check: str  # chain, recommendation, user, report, supersession, checksum
    message: str  # German, names the row
    table: str | None = None
    row: int | None = None

    def as_dict(self) -> dict:
        return asdict(self)


def rows_of(data: Mapping | None) -> list[dict]:
    """A table of a backup document ({"columns", "rows"}) as dicts; [] when absent."""
    if not data:
        return []
    columns = data["columns"]
    return [dict(zip(columns, row, strict=True)) for row in data["rows"]]


def label(table: str, row_id) -> str:
    return f"{table} {key_column(table)} {row_id}"


def check_chain(tables: Mapping[str, list[dict]], chained: Sequence[str],
                anchors: Mapping[int, str] | None = None) -> tuple[list[Problem], dict]:
    """Walk the chain: numbering, links, entry hashes, every row's content, every row chained,
    the head, and any anchors (seq -> chain hash noted earlier). Problems in chain order."""
    problems: list[Problem] = []
    hashes = {}
    for table in chained:
        for row in tables.get(table, []):
            hashes[(table, row[key_column(table)])] = row_sha256(row)
    entries = sorted(tables.get(CHAIN_TABLE, []), key=lambda e: e["seq"])
    seen: dict[tuple, int] = {}
    previous, expected = GENESIS, 1
    for entry in entries:
        seq, table, row_id = entry["seq"], entry["table_name"], entry["row_id"]
        where = f"Kette, Eintrag {seq} ({label(table, row_id)})"
        if seq != expected:
            problems.append(Problem("chain", f"Kette, Eintrag {seq}: erwartet war Eintrag "
                                             f"{expected} (Lücke in der Nummerierung).",
                                    CHAIN_TABLE, seq))
        if entry["previous_sha256"] != previous:
            problems.append(Problem("chain", f"{where}: verweist nicht auf den Eintrag davor "
                                             "(previous_sha256 passt nicht).", CHAIN_TABLE, seq))
        if entry["chain_sha256"] != link_sha256(seq, table, row_id, entry["row_sha256"],
                                                entry["previous_sha256"]):
            problems.append(Problem("chain", f"{where}: der Hash des Eintrags passt nicht zu "
                                             "seinem Inhalt.", CHAIN_TABLE, seq))
        key = (table, row_id)
        if table not in chained:
            problems.append(Problem("chain", f"{where}: unbekannte Tabelle.", CHAIN_TABLE, seq))
        elif key in seen:
            problems.append(Problem("chain", f"{where}: dieselbe Zeile steht schon in Eintrag "
                                             f"{seen[key]}.", CHAIN_TABLE, seq))
        elif key not in hashes:
            problems.append(Problem("chain", f"{label(table, row_id)}: die Zeile fehlt, obwohl "
                                             f"Eintrag {seq} der Kette sie nennt (gelöscht).",
                                    table, row_id))
        elif hashes[key] != entry["row_sha256"]:
            problems.append(Problem("chain", f"{label(table, row_id)}: der Inhalt passt nicht "
                                             f"zum Hash in Eintrag {seq} der Kette "
                                             "(nachträglich geändert).", table, row_id))
        seen.setdefault(key, seq)
        previous, expected = entry["chain_sha256"], seq + 1
    for table, row_id in sorted(set(hashes) - set(seen), key=lambda k: (chained.index(k[0]),
                                                                       k[1])):
        problems.append(Problem("chain", f"{label(table, row_id)}: steht in keinem Eintrag der "
                                         "Kette (am Programm vorbei eingefügt).", table, row_id))
    last_seq = entries[-1]["seq"] if entries else 0
    heads = tables.get(HEAD_TABLE, [])
    head = heads[0] if heads else None
    if (head is None and entries) or (head is not None and (
            head["seq"], head["chain_sha256"]) != (last_seq, previous)):
        shown = "fehlt" if head is None else f"nennt Eintrag {head['seq']}"
        problems.append(Problem("chain", f"Kettenkopf ({HEAD_TABLE}) {shown}, der letzte "
                                         f"Eintrag ist {last_seq} (Hash {previous[:16]}…).",
                                HEAD_TABLE, 1))
    by_seq = {e["seq"]: e for e in entries}
    for seq, digest in sorted((anchors or {}).items()):
        if seq not in by_seq:
            problems.append(Problem("chain", f"Kette: den festgehaltenen Eintrag {seq} gibt es "
                                             "nicht.", CHAIN_TABLE, seq))
        elif by_seq[seq]["chain_sha256"] != digest.lower():
            problems.append(Problem(
                "chain", f"Kette, Eintrag {seq}: Hash {by_seq[seq]['chain_sha256'][:16]}… statt "
                         f"des festgehaltenen {digest.lower()[:16]}… (die Kette wurde bis hierher "
                         "neu geschrieben).", CHAIN_TABLE, seq))
    return problems, {"entries": len(entries), "head_seq": last_seq, "head_sha256": previous,
                      "rows": len(hashes)}


def parse_anchor(text: str) -> tuple[int, str]:
    """'SEQ:SHA256' as noted from an earlier `controlling verify`."""
    from controlling.domain.errors import InvalidInput

    seq, _, digest = (text or "").strip().partition(":")
    digest = digest.strip().lower()
    if not seq.strip().isdigit() or len(digest) != 64 or any(
            c not in "0123456789abcdef" for c in digest):
        raise InvalidInput(f"Ungültiger Anker '{text}': erwartet EINTRAG:SHA256, z. B. "
                           f"'120:{'ab' * 32}' (aus der Ausgabe von 'controlling verify').")
    return int(seq), digest


def document_checksum(document: Mapping) -> str:
    """The checksum of a backup document: SHA-256 of the canonical JSON of everything in it
    but the checksum itself, written 'sha256:HEX'."""
    content = {key: value for key, value in document.items() if key != "checksum"}
    return "sha256:" + sha256_hex(canonical_json(content))


class DocumentChecksum:
    """`document_checksum` of a backup computed piece by piece, for a backup written as it
    is read (never held whole): the header, then each table (`table`) in the order of the
    names, then its rows one by one, each as its canonical_json (`row`); `value()` gives the
    checksum of all so far.

    It hashes exactly the bytes of canonical_json(document): the header's keys all sort
    before "tables", the tables by name, and in each "columns" before "rows"."""

    def __init__(self, header: Mapping):
        content = {key: value for key, value in header.items()
                   if key not in ("checksum", "tables")}
        if any(key > "tables" for key in content):
            raise ValueError("ein Kopfeintrag nach 'tables'")
        start = canonical_json(content)[:-1]  # without its closing brace
        self._hash = hashlib.sha256(start + (b"," if content else b"") + b'"tables":{')
        self._last: str | None = None
        self._rows = 0

    def table(self, name: str, columns: Sequence[str]) -> None:
        if self._last is not None and name <= self._last:
            raise ValueError(f"Tabelle {name} nicht nach {self._last} (nach Namen geordnet)")
        self._hash.update((b"]}," if self._last is not None else b"") + canonical_json(name)
                          + b':{"columns":' + canonical_json(list(columns)) + b',"rows":[')
        self._last, self._rows = name, 0

    def row(self, encoded: bytes) -> None:
        self._hash.update((b"," if self._rows else b"") + encoded)
        self._rows += 1

    def value(self) -> str:
        whole = self._hash.copy()
        whole.update((b"]}" if self._last is not None else b"") + b"}}")
        return "sha256:" + whole.hexdigest()
