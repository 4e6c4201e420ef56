"""`emit_json` writes the one JSON layout as it is produced, with what a terminal would act on
escaped, the same text however large the document."""

import json

from controlling.commands.output import emit_json
from controlling.json_layout import readable_json


def test_a_large_document_comes_out_whole_and_in_the_one_layout(capsys):
    data = {"recommendations": [{"number": n, "title": f"Empfehlung {n} \u202e"}
                                for n in range(20_000)]}
    emit_json(data)
    out = capsys.readouterr().out
    assert out == readable_json(data).replace("\u202e", "\\u202e")
    assert json.loads(out) == data
    assert "\u202e" not in out


def test_a_small_document_ends_with_one_newline(capsys):
    emit_json({"total": 0, "when": None})
    assert capsys.readouterr().out == '{\n  "total": 0,\n  "when": null\n}\n'
