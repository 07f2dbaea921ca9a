"""Words of a description for the case search: an unidentified person is found by what a family
or the police say of them ("kaos biru, bekas luka di pelipis"), not by a name.

Words are stemmed with Sastrawi (the Indonesian stemmer: "berambut" -> "rambut", "memakai" ->
"pakai") and Indonesian stopwords ("di", "dan", "yang") are dropped, the same way for what is
indexed and for what is typed. A word is indexed both as a name token (services.names: the
spelling folds, so "jaket" and "djaket" meet) and as its stem; a typed word is looked up by its
stem when the stemmer changed it, else as a name token: so a name the stemmer would cut
("Permana" -> "mana") is still found, its stem being indexed too."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from .names import name_tokens

# Typed on its own it means "the people without a name": every unidentified person has it.
UNKNOWN_TOKEN = "tanpaidentitas"  # noqa: S105 (a search word, not a secret)
_UNKNOWN_PHRASE = re.compile(r"\btanpa[\s-]+identitas\b|\btidak[\s-]+(?:dikenal|diketahui)\b")
# Sastrawi's stopwords less the words that describe someone or where they were found ("rambut
# panjang", "mata", "badan besar", "di bawah jembatan"), plus the words of an age ("sekitar 40
# tahun": the number is what is indexed).
_KEPT = {"mata", "panjang", "besar", "kecil", "sedang", "luar", "dekat", "depan", "belakang",
         "bawah", "atas", "tempat", "baru", "lama", "jauh", "pendek", "tinggi"}  # fmt: skip
_EXTRA_STOPWORDS = {"tahun", "thn", "th", "umur", "usia", "berusia", "kurang", "lebih", "kl"}
_LETTERS = re.compile(r"[^a-z]+")
SEX_WORDS = {"L": ("laki", "pria"), "P": ("perempuan", "wanita")}
MAX_DESCRIPTION_TOKENS = 400


@lru_cache(maxsize=1)
def _stemmer():
    from Sastrawi.Stemmer.StemmerFactory import StemmerFactory

    return StemmerFactory().create_stemmer()


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    from Sastrawi.StopWordRemover.StopWordRemoverFactory import StopWordRemoverFactory

    words = {w for w in StopWordRemoverFactory().get_stop_words() if len(w) > 1} - _KEPT
    return frozenset(words | _EXTRA_STOPWORDS)  # a single letter is an initial ("M." Yusuf)


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The stem of one lower-case word (names repeat: cached)."""
    return _stemmer().stem(word) or word


def letter_words(text: str) -> list[str]:
    """The words of a text, lower case, letters only ("laki-laki" is "laki", "laki")."""
    text = unicodedata.normalize("NFKD", text or "").encode("ascii", "ignore").decode()
    return _LETTERS.sub(" ", text.lower().replace("'", "")).split()


def word_forms(word: str) -> set[str]:
    """What one word is indexed as: its name token(s) and its stem."""
    return {*name_tokens(word), stem(word)}


def stems_of(name: str) -> set[str]:
    """The stems of a name's words that the stemmer changed (indexed beside the name tokens)."""
    return {s for w in letter_words(name) if (s := stem(w)) != w}


def description_tokens(*texts: str) -> set[str]:
    """The index tokens of descriptive texts (a description, a place), stopwords left out."""
    stop = stopwords()
    tokens: set[str] = set()
    for text in texts:
        for word in letter_words(text):
            if len(word) > 1 and word not in stop and len(tokens) < MAX_DESCRIPTION_TOKENS:
                tokens |= word_forms(word)
    return tokens


def unknown_person_tokens(person) -> set[str]:
    """An unidentified person: the marker token, the estimated age and the sex's words."""
    tokens = {UNKNOWN_TOKEN, *SEX_WORDS.get(person.sex or "", ())}
    if person.estimated_age is not None:
        tokens.add(str(person.estimated_age))
    return tokens


def mark_phrases(text: str) -> str:
    """'tanpa identitas' (and 'tidak dikenal') typed as words becomes the one marker token."""
    return _UNKNOWN_PHRASE.sub(UNKNOWN_TOKEN, text)


def means_unknown(text: str) -> bool:
    """Whether the text typed is just "tanpa identitas" (or "tidak dikenal")."""
    return mark_phrases((text or "").lower()).strip() == UNKNOWN_TOKEN


def typed_forms(word: str) -> list[str]:
    """The look-up forms of one typed word (lower-case letters): its stem when the stemmer
    changed it, else its name token(s)."""
    if word == UNKNOWN_TOKEN:
        return [word]
    stemmed = stem(word)
    return [stemmed] if stemmed != word else name_tokens(word)


def without_stopwords(words: list[str], keep_all: bool = True) -> list[str]:
    """The typed words less the stopwords (all of them kept if nothing else was typed, unless
    not `keep_all`: something else, a number, was typed)."""
    stop = stopwords()
    kept = [w for w in words if w not in stop]
    return kept or (words if keep_all else [])
