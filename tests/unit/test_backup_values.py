"""Values in the backup file: every column type survives the trip through JSON."""

import json
from datetime import date, datetime, time
from decimal import Decimal

import pytest
from sqlalchemy import types as sqltypes
from sqlalchemy.sql.elements import Null

from controlling.domain.errors import InvalidInput
from controlling.domain.vocabulary import Status
from controlling.services.backup import decode, encode, read_backup

CASES = [
    (sqltypes.Date(), date(2024, 3, 31)),
    (sqltypes.DateTime(), datetime(2024, 3, 31, 23, 59, 58, 123456)),
    (sqltypes.Time(), time(8, 30)),
    (sqltypes.Float(), 0.1 + 0.2),
    (sqltypes.Integer(), 2_147_483_647),
    (sqltypes.Boolean(), False),
    (sqltypes.Text(), "=1+2 \"zitiert\" ü\n"),
    (sqltypes.Numeric(10, 2), Decimal("12.30")),
    (sqltypes.LargeBinary(), b"\x00\xff"),
    (sqltypes.JSON(), {"district_value": 23.9, "list": [1, None]}),
    (sqltypes.JSON(), None),  # a stored JSON null, not SQL NULL
]


@pytest.mark.parametrize(("column_type", "value"), CASES)
def test_a_value_comes_back_equal_after_json(column_type, value):
    data = json.loads(json.dumps(encode(value, column_type)))
    assert decode(data, column_type) == value


def test_an_enum_is_stored_as_its_machine_value():
    assert encode(Status.APPROVED, sqltypes.String()) == "approved"


def test_sql_null_of_a_json_column_is_written_as_sql_null():
    assert isinstance(decode(None, sqltypes.JSON()), Null)
    assert decode(None, sqltypes.Date()) is None


def test_a_value_of_the_wrong_type_is_refused():
    with pytest.raises(ValueError):
        decode("1", sqltypes.Integer())
    with pytest.raises(ValueError):
        decode("ja", sqltypes.Boolean())


@pytest.mark.parametrize(("content", "message"), [
    (b"\xff\xfe", "keine UTF-8-Textdatei"),
    (b"{nicht json", "keine gültige JSON-Datei (Fehler in Zeile 1"),
    (b"[]", "keine Sicherung von 'controlling export all'"),
    (b'{"format": "controlling-backup", "format_version": 99}', "Formatversion 99"),
    (b'{"format": "controlling-backup", "format_version": 1, "revision": "0001"}',
     "beschädigt"),
])
def test_a_file_that_is_not_a_backup_is_refused_in_german(tmp_path, content, message):
    path = tmp_path / "sicherung.json"
    path.write_bytes(content)
    with pytest.raises(InvalidInput, match=message.replace("(", r"\(")):
        read_backup(path)


def test_a_missing_backup_file_is_named(tmp_path):
    with pytest.raises(InvalidInput, match="Datei nicht gefunden"):
        read_backup(tmp_path / "fehlt.json")
