"""highlight_runs, sentences_of and layout: pure functions on plain data."""

from types import SimpleNamespace

from healthywork.scan.analysis import split_units
from healthywork.scan.coding import highlight_runs, layout, sentences_of


def span(start: int, end: int, name: str = "") -> SimpleNamespace:
    return SimpleNamespace(start_offset=start, end_offset=end, name=name)


def test_it_gives_one_plain_run_without_codings():
    runs = highlight_runs("Hello world", [])
    assert [(run.start, run.end, run.text, run.codings) for run in runs] == [(0, 11, "Hello world", ())]


def test_it_cuts_the_text_at_every_boundary_of_overlapping_codings():
    text = "abcdefghij"
    first, second = span(2, 6, "first"), span(4, 9, "second")
    runs = highlight_runs(text, [second, first])
    assert [(run.start, run.end) for run in runs] == [(0, 2), (2, 4), (4, 6), (6, 9), (9, 10)]
    assert [[coding.name for coding in run.codings] for run in runs] == [
        [],
        ["first"],
        ["first", "second"],
        ["second"],
        [],
    ]
    assert "".join(run.text for run in runs) == text


def test_nested_and_identical_spans_are_listed_longest_first():
    outer, inner, twin = span(0, 10, "outer"), span(3, 5, "inner"), span(3, 5, "twin")
    runs = highlight_runs("0123456789", [inner, twin, outer])
    middle = next(run for run in runs if run.start == 3)
    assert [coding.name for coding in middle.codings] == ["outer", "inner", "twin"]
    assert middle.end == 5


def test_it_clamps_offsets_to_the_text_and_drops_empty_spans():
    runs = highlight_runs("short", [span(3, 99, "long"), span(2, 2, "empty")])
    assert [(run.start, run.end, [c.name for c in run.codings]) for run in runs] == [
        (0, 3, []),
        (3, 5, ["long"]),
    ]


def test_offsets_count_code_points_so_an_emoji_is_one_character():
    text = "Pay 💸 late"
    start = text.index("late")
    runs = highlight_runs(text, [span(start, start + 4)])
    assert runs[-1].text == "late" and start == 6


def test_a_coding_ending_where_another_starts_does_not_overlap_it():
    runs = highlight_runs("aaaabbbb", [span(0, 4, "a"), span(4, 8, "b")])
    assert [[c.name for c in run.codings] for run in runs] == [["a"], ["b"]]


def test_sentences_split_at_sentence_ends_and_paragraphs():
    text = "One. Two? Three!\nFour\n\nFive. Six"
    found = [(s.paragraph, text[s.start : s.content_end]) for s in sentences_of(text)]
    assert found == [(0, "One."), (0, "Two?"), (0, "Three!"), (0, "Four"), (1, "Five."), (1, "Six")]


def test_sentences_are_the_units_the_agreement_counts():
    text = (
        "Interviewer: Did Dr. Ruiz see you, e.g. at the clinic? J. Smith did.\n"
        "P3: Yes. She works approx. three days\na week in the U.S. Army clinic.\n\n  Thanks."
    )
    sentences = sentences_of(text)
    assert [(s.start, s.content_end) for s in sentences] == split_units(text, "sentence")
    assert [(s.paragraph, text[s.start : s.content_end]) for s in sentences] == [
        (0, "Interviewer: Did Dr. Ruiz see you, e.g. at the clinic?"),
        (0, "J. Smith did."),
        (1, "P3: Yes."),
        (1, "She works approx. three days\na week in the U.S. Army clinic."),
        (2, "Thanks."),
    ]
    # The space after a sentence belongs to it; the breaks between paragraphs belong to none.
    assert (
        text[sentences[0].start : sentences[0].end]
        == "Interviewer: Did Dr. Ruiz see you, e.g. at the clinic? "
    )
    assert sentences[1].end == sentences[1].content_end
    assert [s.index for s in sentences] == [0, 1, 2, 3, 4]


def test_a_text_of_white_space_has_no_sentence():
    assert sentences_of("") == [] and sentences_of(" \n\n\t") == []


def test_layout_keeps_every_character_but_the_paragraph_breaks_with_exact_offsets():
    text = "Wage theft is common. We organize.\n\nFair workweek now."
    coding = span(5, 40, "crosses a sentence and a paragraph")
    paragraphs = layout(text, [coding])
    assert len(paragraphs) == 2
    pieces = [run for paragraph in paragraphs for block in paragraph for run in block.runs]
    for run in pieces:
        assert text[run.start : run.end] == run.text
    rendered = "".join(run.text for run in pieces)
    assert rendered == text.replace("\n\n", "")
    coded = "".join(run.text for run in pieces if run.codings)
    assert coded == text[5:40].replace("\n\n", "")
