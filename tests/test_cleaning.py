"""Cleaning: boilerplate out, header metadata read, characters normalised, offsets into the original kept."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from entente.documents.cleaning import CHAR_DROP, CHAR_MAP, clean
from entente.model import CleanDoc, Document

#: Places the dateline test needs; the pipeline passes ``kb.place_names()``.
PLACES = frozenset({"new delhi", "nur-sultan", "astana", "almaty"})

BODY = "India and Kazakhstan held talks on trade and energy in the Kazakh capital on Friday."


def cleaned(text: str, **doc) -> CleanDoc:
    return clean(Document(id="t", text=text, **doc), PLACES)


def assert_offsets_point_home(cd: CleanDoc) -> None:
    """Every clean character maps to the original character it came from."""
    original = cd.doc.text
    assert len(cd.offsets) == len(cd.text) + 1
    for i, ch in enumerate(cd.text):
        o = cd.offsets[i]
        assert CHAR_MAP.get(original[o], original[o]) == ch or ch.isspace(), (i, ch, original[o])


# -- boilerplate ----------------------------------------------------------------------------


def test_leave_a_reply_drops_the_tail() -> None:
    cd = cleaned(f"{BODY}\n\nLeave a Reply\nYour email address will not be published.\nKazakhstan invaded Mars.")
    assert cd.text == BODY
    assert any(d.startswith("tail from: Leave a Reply") for d in cd.dropped)


@pytest.mark.parametrize("line", [
    "Also read: India and China hold border talks",
    "More News at example.com",
    "(Photo credit: Akorda Press)",
    "Share this: Facebook Twitter",
    "JUST WATCHED Leaders meet in Astana Replay More Videos ... MUST WATCH Leaders meet in Astana 01:46",
    "Updated at 9:50 p.m. ET Thursday",
    "Published: 14 March 2024 10:02 GMT",
    "Last updated on Friday",
    "Enlarge this image toggle caption Ana Lopez/AFP via Getty Images",
    "MORE: Leaders 'prepared to discuss a ceasefire' with the envoy",
    "See also: Kazakhstan and India sign five agreements",
    "-   Kazakhstan and India sign five agreements as trade grows",
    "- Advertisement embed-more-topicStory continues below",
])
def test_boilerplate_lines_are_dropped(line: str) -> None:
    cd = cleaned(f"{BODY}\n\n{line}\n\nThe talks will continue next month in New Delhi, officials said.")
    assert line.split()[0].strip("(") not in cd.text or line.startswith("-")
    assert cd.text == f"{BODY}\n\nThe talks will continue next month in New Delhi, officials said."


def test_a_bulleted_summary_sentence_stays() -> None:
    line = "- Kazakhstan and India signed five agreements on trade and energy."
    assert line in cleaned(f"{BODY}\n\n{line}\n\nThe talks will continue next month.").text


def test_photo_credit_inside_a_caption_is_stripped() -> None:
    cd = cleaned(f"President Tokayev greets Prime Minister Modi in Astana. (Photo credit: Akorda Press)\n\n{BODY}")
    assert cd.text == f"President Tokayev greets Prime Minister Modi in Astana.\n\n{BODY}"
    assert "stripped: (Photo credit: Akorda Press)" in cd.dropped
    assert_offsets_point_home(cd)


def test_agency_trailer_code_is_stripped() -> None:
    cd = cleaned(f"{BODY} (T/R1/RE1)\n\nThe next round is due in July.")
    assert cd.text == f"{BODY}\n\nThe next round is due in July."
    assert_offsets_point_home(cd)


def test_repeated_paragraph_is_dropped_but_short_repeats_stay() -> None:
    para = "The two sides signed five agreements, including one on defence cooperation."
    cd = cleaned(f"{para}\n\nPhoto\n\n{BODY}\n\nPhoto\n\n{para}")
    assert cd.text.count(para) == 1
    assert cd.text.count("Photo") == 2  # under MIN_REPEAT_CHARS: legitimately repeated
    assert any(d.startswith("repeated paragraph:") for d in cd.dropped)


# -- header metadata ------------------------------------------------------------------------


def test_leading_date_line_sets_the_publication_date() -> None:
    cd = cleaned(f"date 2021-05-08\nKazakhstan and India hold talks\n\n{BODY}")
    assert (cd.pub_date, cd.pub_date_origin) == ("2021-05-08", "date-line")
    assert cd.text.startswith("Kazakhstan and India hold talks")
    assert "2021-05-08" not in cd.text


def test_metadata_date_wins_over_the_date_line() -> None:
    cd = cleaned(f"date 2021-05-08\n{BODY}", date="2021-05-09", date_origin="meta")
    assert (cd.pub_date, cd.pub_date_origin) == ("2021-05-09", "meta")
    assert cd.text == BODY


def test_date_line_only_at_the_top() -> None:
    cd = cleaned(f"{BODY}\n\ndate 2021-05-08\n")
    assert cd.pub_date is None


def test_byline_is_read_and_removed() -> None:
    cd = cleaned(f"Kazakhstan and India hold talks\n\nBy Aditi Bhaduri\n\n{BODY}")
    assert cd.byline == "Aditi Bhaduri"
    assert "Bhaduri" not in cd.text
    assert cd.text == f"Kazakhstan and India hold talks\n\n{BODY}"


@pytest.mark.parametrize(("line", "dateline", "rest"), [
    ("New Delhi: India and Kazakhstan held talks.", "New Delhi", "India and Kazakhstan held talks."),
    ("Nur-Sultan, MINA \u2013 Kazakhstan\u2019s President met Modi.", "Nur-Sultan, MINA", "Kazakhstan's President met Modi."),
    ("ALMATY, July 8 (Sample Wire) \u2013 Kazakhstan signed a deal.", "ALMATY, July 8 (Sample Wire)", "Kazakhstan signed a deal."),
])
def test_datelines_are_read_and_removed(line: str, dateline: str, rest: str) -> None:
    cd = cleaned(f"{line}\n\n{BODY}")
    assert cd.dateline == dateline
    assert cd.text == f"{rest}\n\n{BODY}"
    assert_offsets_point_home(cd)


@pytest.mark.parametrize("line", ["(CNN) Kazakhstan signed a deal.", "(Sample Wire) - Kazakhstan signed a deal."])
def test_an_agency_credit_opening_the_story_is_removed(line: str) -> None:
    cd = cleaned(f"{line}\n\n{BODY}")
    assert cd.dateline is None
    assert cd.text == f"Kazakhstan signed a deal.\n\n{BODY}"
    assert_offsets_point_home(cd)
    # a parenthesis later in the story stays
    assert "(CNN)" in cleaned(f"{BODY}\n\nMore came later.\n\nOr not.\n\n(CNN) Kazakhstan signed a deal.").text


def test_sentence_opening_is_not_a_dateline() -> None:
    # "However" is not a known place and is not in capitals
    cd = cleaned("However: the talks went on.\n\n" + BODY)
    assert cd.dateline is None
    assert cd.text.startswith("However: the talks")


# -- characters -----------------------------------------------------------------------------


def test_spaces_quotes_and_dashes_are_normalised_with_offsets_kept() -> None:
    text = "Kazakhstan\u2019s President said \u201cwe agree\u201d\u00a0\u2014 in\u00a0Astana\u200b."
    cd = cleaned(text)
    assert cd.text == "Kazakhstan's President said \"we agree\" - in Astana."
    assert_offsets_point_home(cd)
    assert text[cd.offsets[cd.text.index("Astana")]:][:6] == "Astana"


def test_glued_sentences_get_their_space_back() -> None:
    cd = cleaned("The two leaders met in Astana.The talks covered uranium.")
    assert cd.text == "The two leaders met in Astana. The talks covered uranium."
    assert_offsets_point_home(cd)


def test_hard_wrapped_lines_are_joined() -> None:
    cd = cleaned("India agreed to\nsupply Kazakhstan with rice.")
    assert cd.text == "India agreed to supply Kazakhstan with rice."


def test_a_span_ending_on_a_paragraph_break_ends_in_its_own_paragraph() -> None:
    """A sentence ending on the inserted "\\n\\n" maps back to the end of its paragraph, not into the next."""
    text = "Kazakhstan to supply India with uranium\nBy Aditi Bhaduri\nModi held talks in Astana."
    cd = cleaned(text)
    assert cd.text == "Kazakhstan to supply India with uranium\n\nModi held talks in Astana."
    end = cd.text.index("Modi")  # the headline "sentence" including its trailing separator
    s, e = cd.original_span(0, end)
    assert text[s:e] == "Kazakhstan to supply India with uranium"
    s, e = cd.original_span(end, len(cd.text))
    assert text[s:e] == "Modi held talks in Astana."


# -- properties -----------------------------------------------------------------------------

PIECES = st.sampled_from([
    "a", "Z", " ", ".", ",", ":", "-", "\n", "\n\n", "\r\n", "\t", "\u00a0", "\u2019", "\u201c", "\u2014",
    "\u200b", "\u00ad", "By Aditi Bhaduri\n", "date 2021-05-08 ", "New Delhi: ", "ALMATY, July 8 (Sample Wire) \u2013 ",
    "ties.The", "(Photo credit: X)", " (T/R1/RE1)", "Also read: x\n", "Leave a Reply", "India met Kazakhstan to",
    "The two sides signed five agreements on trade.\n",
])
TEXTS = st.one_of(st.text(max_size=120), st.lists(PIECES, max_size=30).map("".join))


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(TEXTS)
def test_every_clean_character_maps_to_its_original(text: str) -> None:
    cd = clean(Document(id="p", text=text))
    assert len(cd.offsets) == len(cd.text) + 1
    prev = 0
    for i, ch in enumerate(cd.text):
        o = cd.offsets[i]
        assert o >= prev, "offsets must not decrease"
        prev = o
        assert 0 <= o < len(text)
        original = text[o]
        assert original not in CHAR_DROP or ch.isspace()
        assert CHAR_MAP.get(original, original) == ch or ch.isspace(), (i, ch, original)
    assert cd.offsets[-1] >= prev


WORDS = st.text(st.sampled_from("abcdefghijklmnopqrstuvwxyz"), min_size=1, max_size=9)
SENTENCES = st.lists(WORDS, min_size=1, max_size=8).map(lambda ws: " ".join(ws).capitalize() + ".")
PARAGRAPHS = st.lists(SENTENCES, min_size=1, max_size=4).map(" ".join)


@settings(max_examples=200, deadline=None)
@given(st.lists(PARAGRAPHS, min_size=1, max_size=4, unique=True))
def test_plain_prose_passes_through_unchanged(paragraphs: list[str]) -> None:
    """Ordinary paragraphs with nothing to clean come out as they went in, every letter where it was."""
    text = "\n\n".join(paragraphs)
    cd = clean(Document(id="p", text=text))
    assert cd.text == text
    assert all(cd.offsets[i] == i for i, ch in enumerate(text) if not ch.isspace())


@pytest.mark.slow
def test_paragraphs_parse_as_separate_sentences_that_map_home(nlp) -> None:
    """With the shared model: a headline without a full stop stays its own sentence, and its evidence span too."""
    text = "Kazakhstan to supply India with uranium\nBy Aditi Bhaduri\nModi held talks with Tokayev in Astana."
    cd = cleaned(text)
    sents = list(nlp(cd.text).sents)
    assert len(sents) == 2
    spans = [cd.original_span(s.start_char, s.end_char) for s in sents]
    assert [text[s:e] for s, e in spans] == ["Kazakhstan to supply India with uranium",
                                             "Modi held talks with Tokayev in Astana."]


@pytest.mark.parametrize("line", [
    "Updated figures published on Monday showed the deficit grew, the ministry said.",
    "Published in 2019, the report found that the two governments had met in secret.",
    "Posted troops stayed near the border through the winter of 2021 and into the spring.",
])
def test_prose_that_opens_like_a_timestamp_stays(line: str) -> None:
    assert line in cleaned(f"{BODY}\n\n{line}").text
