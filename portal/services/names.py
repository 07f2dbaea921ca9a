"""Spelling-tolerant keys for Indonesian names (Muhammad/Moh./M., dj/j, tj/c, oe/u, doubled letters)."""

import re
import unicodedata
from difflib import SequenceMatcher

_MUHAMMAD = {
    "m",
    "md",
    "mhd",
    "moh",
    "moch",
    "mochd",
    "muh",
    "muhd",
    "mohd",
    "muhammad",
    "mohammad",
    "mohamad",
    "muhamad",
    "muchammad",
    "muchamad",
    "mochammad",
    "mochamad",
    "mohammed",
    "muhammed",
    "mokhamad",
    "mukhammad",
    "muhamat",
    "muhammat",
}
# Old (pre-1972) spelling: dj = j, tj = c, j = y, oe = u. Old j and new j both fold to y, so
# Djoko/Joko and Tjahjo/Cahyo meet; a few unrelated names meet too, which a hint can afford.
_SPELLING = [
    ("dj", "j"),
    ("tj", "c"),
    ("j", "y"),
    ("oe", "u"),
    ("ch", "h"),
    ("kh", "h"),
    ("ph", "f"),
    ("th", "t"),
    ("dh", "d"),
    ("q", "k"),
    ("v", "f"),
    ("z", "s"),
]
_DOUBLE = re.compile(r"(.)\1+")
_NON_LETTER = re.compile(r"[^a-z ]+")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return _NON_LETTER.sub(" ", text.lower().replace(".", ". ").replace("'", ""))


def name_token(word: str) -> str:
    if word in _MUHAMMAD:
        return "mhd"
    for old, new in _SPELLING:
        word = word.replace(old, new)
    word = _DOUBLE.sub(r"\1", word)
    if len(word) > 3 and word.endswith("y"):
        word = word[:-1] + "i"
    if len(word) > 3 and word.endswith("h"):
        word = word[:-1]
    return word


def name_tokens(name: str) -> list[str]:
    return [name_token(w) for w in _fold(name or "").split() if w]


def name_key(name: str) -> str:
    """'Mochammad Djoko Soesilo' and 'M. Joko Susilo' give the same key: 'mhd joko susilo'."""
    return " ".join(name_tokens(name))


def similarity(key_a: str, key_b: str) -> float:
    """0..1: how alike two name keys are, ignoring word order."""
    if not key_a or not key_b:
        return 0.0
    if key_a == key_b:
        return 1.0
    a, b = key_a.split(), key_b.split()
    if set(a) <= set(b) or set(b) <= set(a):
        return 0.9
    ratio = SequenceMatcher(None, " ".join(sorted(a)), " ".join(sorted(b))).ratio()
    return ratio
