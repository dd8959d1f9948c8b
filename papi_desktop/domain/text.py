"""Vietnamese text rules: NFC normalisation, folded search keys and alphabetical order.

Stored text is NFC (reportlab draws decomposed marks in the wrong place). Searching
uses ``fold`` (no tones, no letter marks, đ→d, casefolded), so "dang thi" finds
"ĐẶNG Thị". Lists sort with ``vi_sort_key`` in the Vietnamese alphabet
(a ă â b c d đ e ê …), not by code point, which would put "Ánh" after "Zương".
"""

from __future__ import annotations

import re
import unicodedata

_WS = re.compile(r"\s+")

# Combining marks that turn a base letter into another Vietnamese letter.
_BREVE = "\u0306"
_CIRCUMFLEX = "\u0302"
_HORN = "\u031b"
_LETTER_MARKS = {_BREVE, _CIRCUMFLEX, _HORN}

# Tone marks, in the order used for sorting (see vi_sort_key).
_TONES = {
    "\u0300": 1,  # huyền (grave)
    "\u0301": 2,  # sắc (acute)
    "\u0309": 3,  # hỏi (hook above)
    "\u0303": 4,  # ngã (tilde)
    "\u0323": 5,  # nặng (dot below)
}

# The Vietnamese alphabet, with f j w z (foreign words only) in their Latin places.
_ALPHABET = [
    "a", "ă", "â", "b", "c", "d", "đ", "e", "ê", "f", "g", "h", "i", "j", "k", "l", "m",
    "n", "o", "ô", "ơ", "p", "q", "r", "s", "t", "u", "ư", "v", "w", "x", "y", "z",
]  # fmt: skip
_RANK = {letter: i for i, letter in enumerate(_ALPHABET)}
_MODIFIED = {
    ("a", _BREVE): "ă",
    ("a", _CIRCUMFLEX): "â",
    ("e", _CIRCUMFLEX): "ê",
    ("o", _CIRCUMFLEX): "ô",
    ("o", _HORN): "ơ",
    ("u", _HORN): "ư",
}
# Letters some keyboards/fonts produce instead of đ/Đ.
_D_LIKE = {"đ": "d", "Đ": "d", "ɖ": "d", "Ɖ": "d"}


# C0 control characters other than tab and line breaks: invisible, refused by XML (xlsx,
# docx) and never typed on purpose (they come from pasting out of other programs).
CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def printable(s: str) -> str:
    """``s`` without control characters (a document must print whatever a package held)."""
    return CONTROL_CHARS.sub("", s)


def nfc(s: str | None) -> str | None:
    """Return ``s`` in Unicode NFC with surrounding whitespace removed; None stays None."""
    if s is None:
        return None
    return unicodedata.normalize("NFC", s).strip()


def _fold_once(s: str) -> str:
    s = unicodedata.normalize("NFC", s).casefold()
    s = unicodedata.normalize("NFD", s)
    s = "".join(_D_LIKE.get(c, c) for c in s if unicodedata.category(c) != "Mn")
    s = _WS.sub(" ", s).strip()
    return unicodedata.normalize("NFC", s)


def fold(s: str | None) -> str:
    """Search key: no tones or letter marks, đ→d, casefolded, single spaces, stripped.

    ``fold("ĐẶNG Thị Ánh") == "dang thi anh"``; ``fold(None) == ""``.
    """
    if not s:
        return ""
    out = _fold_once(s)
    # Casefolding can reveal new combining marks (e.g. "İ" → "i̇"); repeat until stable so
    # that fold is idempotent for any input, not only Vietnamese.
    for _ in range(3):
        again = _fold_once(out)
        if again == out:
            break
        out = again
    return out


def folded_contains(query: str, text: str) -> bool:
    """True when every folded word of ``query`` occurs in the folded ``text`` (any order)."""
    haystack = fold(text)
    return all(word in haystack for word in fold(query).split(" ") if word)


def _letter(base: str, marks: list[str]) -> tuple[str, int]:
    """(Vietnamese letter, tone number) for one lowercase base char and its marks."""
    tone = 0
    letter = base
    for m in marks:
        if m in _TONES:
            tone = _TONES[m]
        elif m in _LETTER_MARKS:
            letter = _MODIFIED.get((base, m), letter)
    return letter, tone


def vi_sort_key(s: str) -> tuple:
    """Key for sorting in Vietnamese alphabetical order.

    Levels, compared in turn:

    1. letters, one by one, in the alphabet a ă â b c d đ e ê (f) g h i (j) k l m n o ô ơ
       p q r s t u ư v (w) x y (z), ignoring tones and case. Whitespace sorts before
       punctuation, punctuation before digits, digits before letters; a run of digits
       compares by its numeric value ("Thôn 2" before "Thôn 10"); a letter outside the
       alphabet sorts after z by code point;
    2. tones, letter by letter, in the order ngang (none), huyền, sắc, hỏi, ngã, nặng.
       This is the order the tones are taught in school and the order listed in the
       design brief; Vietnamese users recognise it. (CLDR/ICU and the Hoàng Phê
       dictionary use huyền, hỏi, ngã, sắc, nặng instead; it only matters for words with
       the same letters, e.g. "Má" vs "Mả");
    3. case, lowercase first;
    4. the NFC text itself, so the order is total: two strings get equal keys only when
       their NFC forms (stripped) are identical.
    """
    text = unicodedata.normalize("NFC", s or "").strip()
    decomposed = unicodedata.normalize("NFD", text)
    primary: list[tuple[int, ...]] = []
    tones: list[int] = []
    cases: list[int] = []
    i = 0
    n = len(decomposed)
    while i < n:
        c = decomposed[i]
        j = i + 1
        marks: list[str] = []
        while j < n and unicodedata.category(decomposed[j]) == "Mn":
            marks.append(decomposed[j])
            j += 1
        if c.isspace():
            while j < n and decomposed[j].isspace():
                j += 1
            primary.append((0,))
        elif c.isdecimal():
            k = j
            while k < n and decomposed[k].isdecimal():
                k += 1
            run = decomposed[i:k]
            primary.append((2, int(run), len(run)))
            j = k
        elif c.isalpha():
            lower = c.lower()
            cases.append(0 if c == lower or len(lower) != 1 else 1)
            if c in _D_LIKE:
                letter, tone = "đ", _letter("d", marks)[1]
            else:
                letter, tone = _letter(lower, marks)
            rank = _RANK.get(letter)
            primary.append((3, rank) if rank is not None else (4, ord(lower[0])))
            tones.append(tone)
        else:
            primary.append((1, ord(c)))
        i = j
    return (tuple(primary), tuple(tones), tuple(cases), text)


def vi_collate(a: str, b: str) -> int:
    """-1, 0 or 1 comparing ``a`` and ``b`` by ``vi_sort_key``; for ``create_collation``."""
    ka, kb = vi_sort_key(a), vi_sort_key(b)
    return (ka > kb) - (ka < kb)
