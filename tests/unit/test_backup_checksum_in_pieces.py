"""The backup checksum computed piece by piece (a backup written as it is read) is the
checksum of the whole document."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from controlling.domain.integrity import DocumentChecksum, canonical_json, document_checksum

values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=4), inner,
                                                                 max_size=3),
    max_leaves=6)
tables = st.dictionaries(
    st.text(alphabet="abcdefgh_äö", min_size=1, max_size=6),
    st.integers(0, 3).flatmap(lambda width: st.fixed_dictionaries({
        "columns": st.lists(st.text(max_size=5), min_size=width, max_size=width),
        "rows": st.lists(st.lists(values, min_size=width, max_size=width), max_size=4)})),
    max_size=4)


def checksum_in_pieces(document: dict) -> str:
    pieces = DocumentChecksum({k: v for k, v in document.items() if k != "tables"})
    for name in sorted(document["tables"]):
        pieces.table(name, document["tables"][name]["columns"])
        for row in document["tables"][name]["rows"]:
            pieces.row(canonical_json(row))
    return pieces.value()


@given(tables=tables, revision=st.text(max_size=6), exported_by=st.text(max_size=6))
def test_the_checksum_in_pieces_is_the_checksum_of_the_whole_document(tables, revision,
                                                                        exported_by):
    document = {"format": "controlling-backup", "format_version": 1, "revision": revision,
                "exported_at": "2026-12-04T10:00:00", "exported_by": exported_by,
                "dialect": "sqlite", "tables": tables}
    assert checksum_in_pieces(document) == document_checksum(document)


def test_a_document_without_header_or_tables_has_the_same_checksum_in_pieces():
    assert checksum_in_pieces({"tables": {}}) == document_checksum({"tables": {}})


def test_tables_out_of_the_order_of_names_are_refused():
    pieces = DocumentChecksum({"format": "controlling-backup"})
    pieces.table("users", ["id"])
    with pytest.raises(ValueError):
        pieces.table("districts", ["id"])


def test_a_header_key_sorting_after_tables_is_refused():
    with pytest.raises(ValueError):
        DocumentChecksum({"zone": 1})
