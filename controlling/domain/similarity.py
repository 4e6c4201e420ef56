"""Near-duplicate suggestions: same district and topic, similar text.

Two texts are similar when, after normalising (lower case, umlauts folded, punctuation and
hyphens removed, whitespace collapsed), either
- difflib's SequenceMatcher ratio is at least RATIO (0.8): catches typos and small rewordings, or
- the Jaccard index of their word sets (words of three letters or more, without a few German
  filler words) is at least JACCARD (0.6): catches the same words in another order.
"""

import re
from difflib import SequenceMatcher

RATIO = 0.8
JACCARD = 0.6

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})
_STOP = frozenset({"der", "die", "das", "und", "oder", "fuer", "mit", "von", "den", "dem",
                   "ein", "eine", "einen", "mehr", "im", "in", "zu", "zum", "zur", "auf"})


def normalise(text: str) -> str:
    folded = (text or "").lower().translate(_FOLD).replace("-", "")
    return " ".join(re.findall(r"[a-z0-9]+", folded))


def words(text: str) -> frozenset[str]:
    return frozenset(w for w in normalise(text).split() if len(w) >= 3 and w not in _STOP)


def similarity(a: str, b: str) -> tuple[float, float]:
    """(difflib ratio, word Jaccard index) of two texts."""
    ratio = SequenceMatcher(None, normalise(a), normalise(b)).ratio()
    wa, wb = words(a), words(b)
    jaccard = len(wa & wb) / len(wa | wb) if wa | wb else 0.0
    return ratio, jaccard


def is_similar(a: str, b: str) -> bool:
    ratio, jaccard = similarity(a, b)
    return ratio >= RATIO or jaccard >= JACCARD


def near_duplicates(items: list[tuple[int, object, object, str]]) -> dict[int, list[int]]:
    """items: (id, district key, topic key, text). Returns id -> ids of its near-duplicates."""
    groups: dict[tuple[object, object], list[tuple[int, str]]] = {}
    for key, district, topic, text in items:
        groups.setdefault((district, topic), []).append((key, text))
    found: dict[int, list[int]] = {}
    for members in groups.values():
        for i, (id_a, text_a) in enumerate(members):
            for id_b, text_b in members[i + 1:]:
                if is_similar(text_a, text_b):
                    found.setdefault(id_a, []).append(id_b)
                    found.setdefault(id_b, []).append(id_a)
    return {key: sorted(value) for key, value in found.items()}
