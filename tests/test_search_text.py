"""Highlighting marks the visitor's words on the original text, whatever its forms."""

from search.text import highlight, snippet


def test_highlight_marks_every_occurrence_in_plain_text_and_escapes_the_rest():
    assert highlight("营业执照<b>、营业执照补领", ["营业执照"]) == (
        "<mark>营业执照</mark>&lt;b&gt;、<mark>营业执照</mark>补领"
    )


def test_highlight_lands_on_full_width_and_compatibility_characters_as_written():
    # Normalised, ＡＢＣ is abc and ㈱ is three characters, (株): the marks still cover the
    # characters as the text has them.
    assert highlight("办理ＡＢＣ证", ["abc"]) == "办理<mark>ＡＢＣ</mark>证"
    assert highlight("㈱公司设立", ["公司"]) == "㈱<mark>公司</mark>设立"
    assert highlight("Ⅻ号窗口", ["窗口"]) == "Ⅻ号<mark>窗口</mark>"


def test_snippet_starts_shortly_before_the_first_match_of_a_long_text():
    text = "前言" * 100 + "申请营业执照需要的材料" + "后记" * 100
    cut = snippet(text, ["营业执照"], length=40)
    assert cut.startswith("…") and cut.endswith("…")
    assert "<mark>营业执照</mark>" in cut and len(cut) < 80
