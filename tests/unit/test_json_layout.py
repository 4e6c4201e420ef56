"""Every JSON document the program writes: the same data as json.dumps gives, laid out with
one key or list item per line on the first two levels."""

import json

from hypothesis import given
from hypothesis import strategies as st

from controlling.json_layout import readable_json

LEAVES = st.none() | st.booleans() | st.integers() | st.text() | st.floats(allow_nan=False)
DOCUMENTS = st.recursive(
    LEAVES, lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(st.text(max_size=5) | st.integers() | st.booleans() | st.none(),
                      inner, max_size=4),
    max_leaves=30)


@given(DOCUMENTS)
def test_a_document_reads_back_as_what_json_dumps_writes(data):
    assert json.loads(readable_json(data)) == json.loads(json.dumps(data))


def test_a_report_reads_one_recommendation_per_line():
    data = {"quarter": "2024-Q1", "totals": {"approved": 2},
            "recommendations": [{"number": 1, "lights": ["red"]}, {"number": 2}], "empty": []}
    assert readable_json(data) == (
        '{\n'
        '  "quarter": "2024-Q1",\n'
        '  "totals": {\n'
        '    "approved": 2\n'
        '  },\n'
        '  "recommendations": [\n'
        '    {"number": 1, "lights": ["red"]},\n'
        '    {"number": 2}\n'
        '  ],\n'
        '  "empty": []\n'
        '}\n')


def test_text_stays_unescaped_and_dates_use_the_given_default():
    from datetime import date

    text = readable_json({"Sozialraum": "Mitte/Styrum – Süd", "am": date(2024, 3, 31)},
                         default=str)
    assert '"Mitte/Styrum – Süd"' in text and '"2024-03-31"' in text
