"""Editors' synonym groups turn a visitor's term into the other ways of writing it."""

from search.synonyms import Synonyms


def test_each_synonym_inside_a_term_is_swapped_for_the_other_words_of_its_group():
    synonyms = Synonyms([["社保", "社会保险"], ["身份证", "居民身份证"]])
    assert synonyms.variants("社保卡补办") == ["社会保险卡补办"]
    assert synonyms.variants("身份证补领") == ["居民身份证补领"]
    # The longer word of a group is matched whole, never grown again.
    assert synonyms.variants("居民身份证换领") == ["身份证换领"]


def test_a_swap_takes_in_what_the_term_already_writes_of_the_other_word():
    synonyms = Synonyms([["出生证", "出生医学证明"]])
    assert synonyms.variants("出生证明") == ["出生医学证明"]
    assert synonyms.variants("出生证办理") == ["出生医学证明办理"]


def test_a_word_found_twice_is_swapped_both_times():
    assert Synonyms([["社保", "社会保险"]]).variants("社保和社保卡") == ["社会保险和社会保险卡"]
