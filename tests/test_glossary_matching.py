"""Glossary terms found in article blocks as standoff spans."""

import pytest
from django.core.management import call_command

from content.text.blocks import block_texts, parse_body
from content.editorial import services
from content.rendering import live_glossary_entries
from content.text.glossary_matching import find_glossary_spans
from content.models import GlossaryTerm

ENTRIES = [
    ("bone", {"ar": ["العظام", "عظم"]}),
    ("bone-tumour", {"es": ["tumor óseo"], "fr": ["tumeur osseuse"]}),
    ("chemotherapy", {"en": ["chemotherapy"], "ar": ["العلاج الكيميائي"], "zh-hans": ["化疗"]}),
    (
        "ewing-sarcoma",
        {
            "en": ["Ewing sarcoma", "Ewing's sarcoma"],
            "es": ["sarcoma de Ewing"],
            "fr": ["sarcome d'Ewing"],
            "ar": ["ساركوما يوينغ"],
            "zh-hans": ["尤文肉瘤"],
        },
    ),
    ("metastasis", {"en": ["metastasis"], "es": ["metástasis"], "fr": ["métastase"], "zh-hans": ["转移"]}),
    (
        "osteosarcoma",
        {"en": ["osteosarcoma"], "es": ["osteosarcoma"], "fr": ["ostéosarcome"], "ar": ["ساركوما عظمية"], "zh-hans": ["骨肉瘤"]},
    ),
    ("sarcoma", {"en": ["sarcoma"], "es": ["sarcoma"], "fr": ["sarcome"], "ar": ["الساركوما"], "zh-hans": ["肉瘤"]}),
]


def spans_in(body, language, entries=ENTRIES):
    blocks = parse_body(body)
    spans = find_glossary_spans(blocks, language, entries)
    texts = {(block, item): text for block, item, text in block_texts(blocks)}
    for span in spans:
        assert texts[span["block"], span["item"]][span["start"] : span["end"]] == span["text"]
    return spans


def found(body, language):
    return [(span["term"], span["text"]) for span in spans_in(body, language)]


def test_english_plurals_and_case_match_and_the_longest_term_wins():
    body = "Osteosarcomas and Ewing sarcoma spread. Metastases may follow. Ewing's sarcoma is rare."

    assert found(body, "en") == [
        ("osteosarcoma", "Osteosarcomas"),
        ("ewing-sarcoma", "Ewing sarcoma"),
        ("metastasis", "Metastases"),
        ("ewing-sarcoma", "Ewing's sarcoma"),
    ]


def test_only_whole_words_match_in_languages_with_spaces():
    entries = [("sarcoma", {"en": ["sarcoma"]}), ("os", {"fr": ["os"]})]

    assert find_glossary_spans(parse_body("Sarcomatous change in sarcomatoid cells."), "en", entries) == []
    assert find_glossary_spans(parse_body("Une tumeur osseuse."), "fr", entries) == []


def test_spanish_plurals_of_every_word_before_the_preposition_and_accents_either_way():
    body = "Los osteosarcomas y los sarcomas de Ewing. Las metastasis y los tumores óseos. La Metástasis."

    assert found(body, "es") == [
        ("osteosarcoma", "osteosarcomas"),
        ("ewing-sarcoma", "sarcomas de Ewing"),
        ("metastasis", "metastasis"),
        ("bone-tumour", "tumores óseos"),
        ("metastasis", "Metástasis"),
    ]


def test_french_plurals_with_typographic_apostrophe_and_agreeing_adjectives():
    body = "Les sarcomes d’Ewing et les ostéosarcomes. Des métastases dans les tumeurs osseuses."

    assert found(body, "fr") == [
        ("ewing-sarcoma", "sarcomes d’Ewing"),
        ("osteosarcoma", "ostéosarcomes"),
        ("metastasis", "métastases"),
        ("bone-tumour", "tumeurs osseuses"),
    ]


def test_arabic_matches_with_or_without_the_article_and_with_joined_prefixes():
    body = "والساركوما نادرة. يعالج بالعلاج الكيميائي. ألم للعظام وفي عظم الساق. ساركوما يوينغ"

    assert found(body, "ar") == [
        ("sarcoma", "والساركوما"),
        ("chemotherapy", "بالعلاج الكيميائي"),
        ("bone", "للعظام"),
        ("bone", "عظم"),
        ("ewing-sarcoma", "ساركوما يوينغ"),
    ]


def test_arabic_ignores_vowel_marks_and_keeps_them_inside_the_span():
    assert found("العِظَامُ قوية.", "ar") == [("bone", "العِظَامُ")]


def test_arabic_does_not_match_inside_a_longer_word():
    assert found("مرض العظامي", "ar") == []


def test_chinese_matches_substrings_longest_first_without_overlap():
    spans = spans_in("尤文肉瘤和骨肉瘤都是肉瘤。化疗后癌症可能转移。", "zh-hans")

    assert [(span["term"], span["text"], span["start"]) for span in spans] == [
        ("ewing-sarcoma", "尤文肉瘤", 0),
        ("osteosarcoma", "骨肉瘤", 5),
        ("sarcoma", "肉瘤", 10),
        ("chemotherapy", "化疗", 13),
        ("metastasis", "转移", 20),
    ]


def test_list_items_get_their_own_offsets():
    spans = spans_in("## Treatment\n\n- Surgery\n- Chemotherapy for osteosarcoma", "en")

    assert spans == [
        {"block": 1, "item": 1, "start": 0, "end": 12, "start_utf16": 0, "end_utf16": 12,
         "term": "chemotherapy", "text": "Chemotherapy"},
        {"block": 1, "item": 1, "start": 17, "end": 29, "start_utf16": 17, "end_utf16": 29,
         "term": "osteosarcoma", "text": "osteosarcoma"},
    ]


def test_a_block_in_another_language_is_matched_with_that_language_forms():
    body = "يعالج بالعلاج الكيميائي.\n\nChemotherapy for osteosarcoma.\n{lang=en}\n\nTexto en latín.\n{lang=la}"

    spans = spans_in(body, "ar")

    assert [(span["block"], span["term"]) for span in spans] == [
        (0, "chemotherapy"),
        (1, "chemotherapy"),
        (1, "osteosarcoma"),
    ]


def test_a_language_without_forms_finds_nothing():
    assert spans_in("Les ostéosarcomes.", "fr", [("osteosarcoma", {"en": ["osteosarcoma"]})]) == []


@pytest.mark.django_db
def test_published_glossary_entries_read_each_language_without_english_fallback(django_assert_num_queries):
    osteosarcoma = GlossaryTerm(
        slug="osteosarcoma",
        term_en="osteosarcoma",
        term_es="osteosarcoma",
        aliases_es="osteosarcomas\n\n  sarcoma osteogénico  ",
        term_zh_hans="骨肉瘤",
        definition_en="A bone cancer.",
        plain_definition_en="A cancer that starts in a bone.",
    )
    services.save_glossary_term(osteosarcoma)
    services.publish_glossary_term(osteosarcoma)
    biopsy = GlossaryTerm(slug="biopsy", term_en="biopsy", definition_en="A sample.", plain_definition_en="A small piece taken out.")
    services.save_glossary_term(biopsy)
    services.publish_glossary_term(biopsy)
    unpublished = GlossaryTerm(slug="tumor", term_en="tumor", definition_en="A lump.", plain_definition_en="A lump.")
    services.save_glossary_term(unpublished)

    with django_assert_num_queries(1):
        entries = live_glossary_entries()

    assert entries == [
        ("biopsy", {"en": ["biopsy"]}, {}),
        (
            "osteosarcoma",
            {
                "en": ["osteosarcoma"],
                "es": ["osteosarcoma", "osteosarcomas", "sarcoma osteogénico"],
                "zh-hans": ["骨肉瘤"],
            },
            {},
        ),
    ]
    assert find_glossary_spans(parse_body("Les biopsies."), "fr", entries) == []


def test_a_phrase_listed_as_another_sense_is_not_linked_but_the_term_still_is_elsewhere():
    entries = [("stage", {"en": ["stage"], "fr": ["stade"]},
                {"en": ["every stage", "stage of growth"], "fr": ["à chaque stade"]})]

    assert spans_in("Drugs act at every stage of their growth.", "en", entries) == []
    assert [span["text"] for span in spans_in("Your stage decides the plan.", "en", entries)] == ["stage"]
    assert [span["text"] for span in spans_in("Each stage of growth differs. The stage matters.", "en", entries)] == ["stage"]
    assert spans_in("Les médicaments agissent à chaque stade.", "fr", entries) == []


@pytest.mark.django_db
def test_shipped_other_senses_reach_the_published_glossary(client):
    call_command("load_content", verbosity=0)

    entries = dict((slug, senses) for slug, _forms, senses in live_glossary_entries())

    assert "every stage" in entries["stage"]["en"]
    assert spans_in("It works at every stage.", "en", live_glossary_entries()) == []


def utf16_slice(text, start, end):
    return text.encode("utf-16-le")[2 * start : 2 * end].decode("utf-16-le")


@pytest.mark.parametrize(
    "body, language, before",
    [
        ("💪 Osteosarcoma can be treated.", "en", "💪 "),
        ("𠀀骨肉瘤是一种骨癌。", "zh-hans", "𠀀"),  # U+20000, a CJK ideograph outside the BMP
    ],
)
def test_spans_give_utf16_offsets_beside_code_point_offsets(body, language, before):
    span = spans_in(body, language)[0]
    text = parse_body(body)[0]["text"]

    assert span["start"] == len(before)
    assert span["start_utf16"] == len(before) + 1  # the character outside the BMP is two UTF-16 units
    assert span["end_utf16"] - span["start_utf16"] == span["end"] - span["start"]
    assert utf16_slice(text, span["start_utf16"], span["end_utf16"]) == span["text"]


def test_utf16_offsets_equal_code_point_offsets_within_the_bmp():
    for span in spans_in("Osteosarcoma and Ewing sarcoma. Metástasis.", "en"):
        assert (span["start_utf16"], span["end_utf16"]) == (span["start"], span["end"])
