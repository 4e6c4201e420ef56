"""The layout of every JSON document the program writes: readable and fast at any size.

The first two levels are indented by two spaces, one key or list item per line; what lies
deeper is written on that line by the json module's C encoder (`indent` would switch the whole
document to the pure-Python encoder, several times slower for a report of thousands of
recommendations). So a list of recommendations reads as one recommendation per line.
"""

import json
from collections.abc import Iterator

DEPTH = 2  # levels laid out line by line


def chunks(data, default=None) -> Iterator[str]:
    """The document in pieces, in order (for writing as it is produced)."""
    encode = json.JSONEncoder(ensure_ascii=False, default=default).encode
    yield from _value(data, 0, encode)
    yield "\n"


def readable_json(data, default=None) -> str:
    """The whole document as text, ending with a newline."""
    return "".join(chunks(data, default))


def _value(value, level: int, encode) -> Iterator[str]:
    if level >= DEPTH or not isinstance(value, dict | list | tuple) or not value:
        yield encode(value)
        return
    inner = "\n" + "  " * (level + 1)
    if isinstance(value, dict):
        yield "{"
        for index, (key, item) in enumerate(value.items()):
            yield ("," if index else "") + inner + encode(_key(key)) + ": "
            yield from _value(item, level + 1, encode)
        yield "\n" + "  " * level + "}"
        return
    yield "["
    for index, item in enumerate(value):
        yield ("," if index else "") + inner
        yield from _value(item, level + 1, encode)
    yield "\n" + "  " * level + "]"


def _key(key) -> str:
    """A key as the json module writes it: text as it is, numbers, true/false and null as
    their JSON words."""
    if isinstance(key, str):
        return key
    if key is None or isinstance(key, bool | int | float):
        return json.dumps(key)
    raise TypeError(f"keys must be str, int, float, bool or None, not {type(key).__name__}")
