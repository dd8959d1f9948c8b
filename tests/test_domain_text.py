"""Vietnamese text rules: NFC, folding for search, alphabetical order and SQLite collation."""

from __future__ import annotations

import sqlite3
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from papi_desktop.domain.text import fold, folded_contains, nfc, vi_collate, vi_sort_key

VI_CHARS = "aăâbcdđeêghiklmnoôơpqrstuưvxyAĂÂBCDĐEÊGHIKLMNOÔƠPQRSTUƯVXY áàảãạấầẩẫậắằẳẵặéèẻẽẹếềểễệíìỉĩịóòỏõọốồổỗộớờởỡợúùủũụứừửữựýỳỷỹỵ0123456789 -."
vi_text = st.text(alphabet=VI_CHARS, max_size=12)


def test_nfc_composes_and_strips():
    decomposed = unicodedata.normalize("NFD", "  Nguyễn Thị Ánh ")
    assert decomposed != "Nguyễn Thị Ánh"
    assert nfc(decomposed) == "Nguyễn Thị Ánh"
    assert nfc(None) is None
    assert nfc("   ") == ""


def test_fold_examples():
    assert fold("ĐẶNG Thị Ánh") == "dang thi anh"
    assert fold("  Nguyễn   Văn\tĐức ") == "nguyen van duc"
    assert fold(unicodedata.normalize("NFD", "Phường Ninh Hiệp")) == "phuong ninh hiep"
    assert fold(None) == ""
    assert fold("") == ""
    assert fold("Ưu tiên ƠN") == "uu tien on"


def test_folded_contains_is_order_free_and_tone_free():
    text = "ĐẶNG Thị Ánh, thôn Phú Hữu"
    assert folded_contains("anh dang", text)
    assert folded_contains("PHU huu", text)
    assert folded_contains("", text)
    assert not folded_contains("dang binh", text)
    assert folded_contains("Đặng", "dang thi anh")


def test_vi_sort_key_brief_example():
    names = ["Đông", "Dũng", "Zương", "Ánh", "An", "Bình", "Ân"]
    assert sorted(names, key=vi_sort_key) == ["An", "Ánh", "Ân", "Bình", "Dũng", "Đông", "Zương"]


def test_vi_sort_letters_before_tones():
    # Letters decide first: "Anh" (a-n-h) after "An" and before "Ăn"; tones only break ties.
    assert sorted(["Ăn", "Anh", "Ản", "An"], key=vi_sort_key) == ["An", "Ản", "Anh", "Ăn"]


def test_vi_sort_tone_order():
    # ngang, huyền, sắc, hỏi, ngã, nặng
    words = ["mạ", "mã", "mả", "má", "mà", "ma"]
    assert sorted(words, key=vi_sort_key) == ["ma", "mà", "má", "mả", "mã", "mạ"]


def test_vi_sort_alphabet_order_of_modified_letters():
    letters = ["y", "x", "v", "ư", "u", "t", "s", "r", "q", "p", "ơ", "ô", "o", "n", "m",
               "l", "k", "i", "h", "g", "ê", "e", "đ", "d", "c", "b", "â", "ă", "a"]  # fmt: skip
    assert sorted(letters, key=vi_sort_key) == list(reversed(letters))
    # foreign letters in Latin places
    assert sorted(["z", "y", "w", "v", "j", "i", "f", "e"], key=vi_sort_key) == [
        "e", "f", "i", "j", "v", "w", "y", "z"
    ]  # fmt: skip


def test_vi_sort_case_insensitive_and_words():
    assert sorted(["bình", "AN", "Ân"], key=vi_sort_key) == ["AN", "Ân", "bình"]
    # a space ends a word: "An Bình" before "Anh"
    assert sorted(["Anh", "An Bình"], key=vi_sort_key) == ["An Bình", "Anh"]
    # lowercase first only as a tie-break
    assert sorted(["An", "an"], key=vi_sort_key) == ["an", "An"]


def test_vi_sort_digits_before_letters_and_numeric():
    assert sorted(["Thôn 10", "Thôn A", "Thôn 2", "Thôn 1"], key=vi_sort_key) == [
        "Thôn 1",
        "Thôn 2",
        "Thôn 10",
        "Thôn A",
    ]


def test_vi_sort_ignores_normalisation_form():
    composed = "Nguyễn"
    decomposed = unicodedata.normalize("NFD", composed)
    assert vi_sort_key(composed) == vi_sort_key(decomposed)
    assert vi_collate(composed, decomposed) == 0


def test_vi_collate_in_sqlite():
    con = sqlite3.connect(":memory:")
    con.create_collation("vi", vi_collate)
    con.execute("create table p(name text)")
    con.executemany("insert into p values (?)", [(n,) for n in ["Đinh", "Zương", "Ánh", "Dương"]])
    rows = [r[0] for r in con.execute("select name from p order by name collate vi")]
    assert rows == ["Ánh", "Dương", "Đinh", "Zương"]
    con.close()


@given(vi_text)
def test_fold_is_idempotent_vi(s):
    assert fold(fold(s)) == fold(s)


@given(st.text(max_size=20))
def test_fold_is_idempotent_any_text(s):
    assert fold(fold(s)) == fold(s)


@given(vi_text)
def test_fold_has_no_marks_and_no_d_stroke(s):
    f = fold(s)
    assert "đ" not in f
    assert not any(unicodedata.combining(c) for c in f)
    assert f == f.strip()
    assert "  " not in f


@given(vi_text, vi_text)
def test_folded_contains_finds_itself(a, b):
    assert folded_contains(a, a + " " + b)


@given(st.text(max_size=10), st.text(max_size=10))
def test_collate_is_antisymmetric_and_matches_key(a, b):
    c = vi_collate(a, b)
    assert c in (-1, 0, 1)
    assert vi_collate(b, a) == -c
    assert (c == 0) == (vi_sort_key(a) == vi_sort_key(b))
    assert (c < 0) == (vi_sort_key(a) < vi_sort_key(b))


@given(vi_text, vi_text, vi_text)
def test_collate_is_transitive(a, b, c):
    x, y, z = sorted([a, b, c], key=vi_sort_key)
    assert vi_collate(x, y) <= 0
    assert vi_collate(y, z) <= 0
    assert vi_collate(x, z) <= 0


@given(vi_text, vi_text)
def test_equal_key_means_same_nfc_text(a, b):
    if vi_collate(a, b) == 0:
        assert nfc(a) == nfc(b)


@pytest.mark.parametrize("s", ["", " ", "Ā", "ß", "İstanbul", "東京", "ǅ"])
def test_sort_key_handles_odd_text(s):
    assert isinstance(vi_sort_key(s), tuple)
    assert vi_collate(s, s) == 0
