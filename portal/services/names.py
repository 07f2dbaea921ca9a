"""Spelling-tolerant keys for Indonesian names: Muhammad/Moh./M., old spellings (dj/j, tj/c, oe/u),
doubled letters, and names as written in South Sulawesi and elsewhere (DOMAIN.md "Names"): "Dg." =
"Daeng", "Abd." = "Abdul", "St." = "Siti", the pilgrim titles "H."/"Hj." left out, the noble title
"Andi" matching with or without, compound names with or without a space ("Nur Hasanah")."""

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
# Abbreviations written for a word: (folded abbreviation, the word, as people write them).
_ABBREVIATIONS = {
    "dg": ("daeng", "Dg. = Daeng"),
    "abd": ("abdul", "Abd. = Abdul"),
    "st": ("siti", "St. = Siti"),
}
_TITLES = {"h", "hj", "haji", "hajjah"}  # pilgrim titles: not part of the name
_NOBLE = "andi"  # a noble title in South Sulawesi, also a given name: matches with or without
# Compound names written with or without a space: "Nur Hasanah" / "Nurhasanah".
_JOIN_NEXT = {"nur", "nurul", "abdul", "abdur"}
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


def _words(name: str) -> tuple[list[str], list[str]]:
    """The name's words with abbreviations written out, titles left out and compounds joined,
    and a note for each of those steps ("Dg. = Daeng")."""
    words, notes = [], []
    for word in _fold(name or "").split():
        if word in _ABBREVIATIONS:
            word, note = _ABBREVIATIONS[word]
            notes.append(note)
        if word in _TITLES:
            notes.append(f"{word.capitalize()}. (gelar)")
            continue
        words.append(word)
    if len(words) > 1 and words[0] == _NOBLE:
        words = words[1:]
        notes.append("Andi (gelar)")
    joined: list[str] = []
    for word in words:
        if joined and joined[-1] in _JOIN_NEXT:
            notes.append(
                f"{joined[-1].capitalize()} {word.capitalize()} = {joined[-1].capitalize()}{word}"
            )
            joined[-1] += word
        else:
            joined.append(word)
    return joined, notes


def name_tokens(name: str) -> list[str]:
    """The words of a name key: 'Hj. St. Nur Hasanah Dg. Ngai' -> siti nurhasana daeng ngai."""
    return [name_token(w) for w in _words(name)[0]]


def _joined_rest(word: str) -> str | None:
    """What follows Nur/Nurul/Abdul/Abdur in a name written as one word ("Nurhasanah":
    "hasanah"), so that "Nur Hasanah" typed finds it as "Nurhasanah" finds "Nur Hasanah"."""
    for first in sorted(_JOIN_NEXT, key=len, reverse=True):
        if word.startswith(first) and len(word) - len(first) >= 3:
            return word[len(first) :]
    return None


def search_tokens(name: str) -> set[str]:
    """Tokens a case is found by: those of the key, and each written word too ("andi", "nur",
    "hasanah"), so a search for any word as typed still finds the case; a compound written as
    one word gives its second part too ("Nurhasanah": "hasanah")."""
    written = [w for w in _fold(name or "").split() if w and w not in _TITLES]
    written += [rest for w in written if (rest := _joined_rest(w))]
    return set(name_tokens(name)) | {name_token(w) for w in written}


def name_key(name: str) -> str:
    """'Mochammad Djoko Soesilo' and 'M. Joko Susilo' give the same key: 'mhd joko susilo'."""
    return " ".join(name_tokens(name))


def why_alike(name_a: str, name_b: str) -> list[str]:
    """How two names that match were written differently: the steps ("Dg. = Daeng", "Nur
    Hasanah = Nurhasanah") taken for one of them and not for the other."""
    notes_a, notes_b = _words(name_a)[1], _words(name_b)[1]
    return [n for n in dict.fromkeys(notes_a + notes_b) if (n in notes_a) != (n in notes_b)]


def similarity(key_a: str, key_b: str) -> float:
    """0..1: how alike two name keys are, ignoring word order."""
    if not key_a or not key_b:
        return 0.0
    if key_a == key_b or key_a.replace(" ", "") == key_b.replace(" ", ""):
        return 1.0
    a, b = key_a.split(), key_b.split()
    if set(a) <= set(b) or set(b) <= set(a):
        return 0.9
    ratio = SequenceMatcher(None, " ".join(sorted(a)), " ".join(sorted(b))).ratio()
    return ratio
