"""Spelling keys that let one medicine name match its Finnish, Swedish and English forms and inflections.

``simvastatin``, ``simvastatiini`` and ``simvastatiinia`` share a key, as do ``omeprazole`` and ``omepratsoli``,
``warfarin`` and ``varfariini``, ``Eliquis`` and ``Eliquisia``. Used by the detectors and by
``bench/make_medicine_names.py``, which builds the list with the same keys.
"""

from __future__ import annotations

import re

_SOFT_C = re.compile(r"c(?=[eiy])")
_LETTERS = str.maketrans({"c": "k", "x": "ks", "z": "ts", "w": "v"})
_DOUBLES = re.compile(r"(.)\1+")
_VOWELS = frozenset("aeiouyäöå")
MIN_KEY = 5  # shorter keys collide with ordinary words too often


def spelling_key(word: str) -> str:
    """The word in a spelling common to fi/sv/en drug names: lower case, c/x/z/w/th/ph written the Finnish way,
    double letters single."""
    w = word.casefold()
    if "h" in w:
        w = w.replace("th", "t").replace("ph", "f")
    if "q" in w:
        w = w.replace("qu", "kv")
    if "c" in w:
        w = w.replace("ck", "k")
        if _SOFT_C.search(w):
            w = _SOFT_C.sub("s", w)
    w = w.translate(_LETTERS)
    return _DOUBLES.sub(_single, w) if _DOUBLES.search(w) else w


def _single(match: re.Match[str]) -> str:
    return match.group(1)


def name_key(name: str) -> str:
    """A medicine name's key: its spelling key without a final vowel (levothyroxine and levotyroksiini)."""
    key = spelling_key(name)
    return key[:-1] if key and key[-1] in _VOWELS else key


def word_keys(word: str) -> tuple[str, ...]:
    """The keys a text word may have as an inflected name: the whole word and with up to four letters of case
    ending cut (Marevanilla, Eliquisia, Xareltoa, insulinet), each also without a final vowel."""
    key = spelling_key(word)
    keys: list[str] = []
    for cut in range(min(5, len(key) - MIN_KEY + 1)):
        stem = key[: len(key) - cut]
        keys.append(stem)
        if stem[-1] in _VOWELS and len(stem) > MIN_KEY:
            keys.append(stem[:-1])
    return tuple(keys)


def trie_pattern(words: tuple[str, ...] | list[str]) -> str:
    """An alternation of literal ``words`` written as a trie, ``(?:a(?:bc|d)|e)``: the regex engine then tests one
    letter per branch instead of every word at every position, which keeps whole-text searches fast."""
    trie: dict[str, dict] = {}  # type: ignore[type-arg]
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}
    return _pattern(trie)


def _pattern(node: dict) -> str:  # type: ignore[type-arg]
    ends = "" in node
    branches = [re.escape(ch) + _pattern(child) for ch, child in sorted(node.items()) if ch]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if ends else body
