"""Message authentication for what the program hands out and takes back (HMAC-SHA256).

`seal(key, *parts)` is the code of a list of plain values (JSON, so that 7 and "7", None and ""
differ); `unchanged` compares in constant time. The keys live in the database (table
`signing_keys`, controlling/services/signing.py); the update workbooks carry one code per
signed value (controlling/services/update_workbook.py), so a refusal can name what changed.
"""

import hashlib
import hmac
import json

CODE_LENGTH = 32  # hex digits: 128 bits of the SHA-256 HMAC


def seal(key: bytes, *parts) -> str:
    message = json.dumps(parts, ensure_ascii=False, separators=(",", ":"), default=str)
    return hmac.new(key, message.encode("utf-8"), hashlib.sha256).hexdigest()[:CODE_LENGTH]


def unchanged(key: bytes, code: object, *parts) -> bool:
    return isinstance(code, str) and hmac.compare_digest(code, seal(key, *parts))
