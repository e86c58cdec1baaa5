from hypothesis import given
from hypothesis import strategies as st

from plenary.proposals.text import diff_html, fold, word_diff


def test_fold_removes_case_accents_and_arabic_diacritics() -> None:
    assert fold("Règlement ÉTÉ") == "reglement ete"
    assert fold("Ёлка") == fold("елка")
    assert fold("الرَّادِيو") == fold("الراديو")
    assert fold("无线电规则") == "无线电规则"


def test_word_diff_marks_only_changed_words() -> None:
    chunks = word_diff(
        "Resolution 750 (Rev.WRC-23) applies.", "Resolution 750 (Rev.WRC-27) applies."
    )
    changed = [(c.op, c.text) for c in chunks if c.op != "equal"]
    assert changed == [("delete", "23"), ("insert", "27")]


def test_word_diff_splits_chinese_by_character() -> None:
    chunks = word_diff("适用第750号决议", "适用第751号决议")
    assert ("insert", "751") in [(c.op, c.text) for c in chunks]
    assert "适用第" in [c.text for c in chunks if c.op == "equal"]


def test_diff_html_escapes_text() -> None:
    html = diff_html(word_diff("a <b>", "a <i>"))
    assert "<del>b</del>" in html and "&lt;" in html and "<i>" not in html


@given(st.text(max_size=60), st.text(max_size=60))
def test_word_diff_reconstructs_both_texts(old: str, new: str) -> None:
    chunks = word_diff(old, new)
    assert "".join(c.text for c in chunks if c.op != "insert") == old
    assert "".join(c.text for c in chunks if c.op != "delete") == new
