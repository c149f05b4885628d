"""Readability per language: formulas, targets, sentence rules, and that measuring is offline and thread-safe."""

import json
import socket
from concurrent.futures import ThreadPoolExecutor

import pyphen
import pytest
import textstat
from textstat.backend import utils as textstat_utils

from content.text import readability
from content.text.readability import (
    READABILITY_TARGETS,
    measure_readability,
    readability_target,
    sentence_rules,
    split_sentences,
    syllables_in_word,
)

EN_PLAIN = (
    "Bone cancer is rare. It can start in any bone. Most often it starts in the long bones of the arm or leg. "
    "You may feel pain. The pain can get worse at night. Tell your doctor if a bone hurts for more than a few weeks."
)
EN_DENSE = (
    "Osteosarcoma, the most prevalent primary malignant neoplasm of bone, predominantly affects adolescents and "
    "young adults, characteristically arising in the metaphyseal regions of long bones, where proliferative "
    "osteoblastic activity is concentrated during periods of accelerated skeletal development. Contemporary "
    "multimodal therapeutic protocols, incorporating neoadjuvant chemotherapy, limb-salvage surgical resection "
    "and adjuvant chemotherapy, have substantially ameliorated long-term survival probabilities for individuals "
    "presenting with localized disease."
)
ES_PLAIN = (
    "El hueso es duro. A veces sale un bulto. Le duele la pierna. Vaya al médico pronto. "
    "Él le hará una prueba. No duele mucho. Tome sus pastillas cada día."
)
ES_DENSE = (
    "La administración de quimioterapia neoadyuvante, seguida de la resección quirúrgica con márgenes amplios, "
    "constituye actualmente el tratamiento estándar del osteosarcoma localizado, con supervivencias prolongadas "
    "significativamente superiores a las observadas históricamente con la amputación exclusiva."
)
FR_PLAIN = (
    "Le cancer des os est rare. Il touche surtout les jeunes. Vous avez mal à la jambe. "
    "Allez voir le médecin. Il fait une prise de sang."
)
FR_DENSE = (
    "L'administration d'une chimiothérapie néoadjuvante, suivie d'une résection chirurgicale carcinologique, "
    "constitue actuellement le traitement de référence de l'ostéosarcome localisé, avec des probabilités de "
    "survie prolongée considérablement supérieures aux résultats historiquement observés après amputation."
)
AR_TEXT = "ما هو سرطان العظام؟ سرطان العظام مرض نادر. يبدأ في العظام الطويلة. هل يمكن علاجه؟ نعم، يمكن علاجه."
ZH_TEXT = "骨肉瘤是一种骨癌。它常见于青少年。医生会做活检！治疗包括化疗和手术吗？大多数病人需要治疗几个月。"

SAMPLES = {"en": EN_PLAIN, "es": ES_PLAIN, "fr": FR_PLAIN, "ar": AR_TEXT, "zh-hans": ZH_TEXT}


def test_short_plain_english_meets_the_ama_grade_six_target():
    result = measure_readability(EN_PLAIN, "en", "plain")

    assert result["formula"] == "flesch_kincaid_grade"
    assert result["score"] <= 6
    assert result["target"]["kind"] == "max" and result["target"]["score"] == 6
    assert result["meets_sentence_rules"] is True
    assert result["meets_target"] is True
    assert result["other_scores"][0]["formula"] == "smog_index"


def test_dense_academic_english_misses_both_the_grade_and_the_sentence_rules():
    result = measure_readability(EN_DENSE, "en", "standard")

    assert result["score"] > 12
    assert result["sentences"]["longest"] > 25
    assert result["meets_sentence_rules"] is False
    assert result["meets_target"] is False
    assert result["long_word_share"] > 0.3


def test_spanish_is_scored_with_szigriszt_pazos_on_the_inflesz_scale():
    plain = measure_readability(ES_PLAIN, "es", "plain")
    dense = measure_readability(ES_DENSE, "es", "standard")

    assert plain["formula"] == "szigriszt_pazos"
    assert plain["score"] >= 65 and plain["meets_target"] is True
    assert plain["other_scores"][0]["formula"] == "fernandez_huerta"
    assert dense["score"] < 55 and dense["meets_target"] is False


def test_spanish_syllables_count_vowel_hiatus_that_pyphen_misses():
    hyphenator = pyphen.Pyphen(lang="es")

    assert len(hyphenator.positions("día")) + 1 == 1
    assert syllables_in_word("día", "es") == 2
    assert syllables_in_word("país", "es") == 2
    assert syllables_in_word("quimioterapia", "es") == 5


def test_french_is_scored_with_kandel_moles():
    plain = measure_readability(FR_PLAIN, "fr", "plain")
    dense = measure_readability(FR_DENSE, "fr", "standard")

    assert plain["formula"] == "kandel_moles"
    assert plain["score"] >= 70 and plain["meets_target"] is True
    assert dense["score"] < 60 and dense["meets_target"] is False


def test_arabic_question_mark_ends_a_sentence():
    assert split_sentences("ما هو سرطان العظام؟ إنه مرض نادر.", "ar") == ["ما هو سرطان العظام؟", "إنه مرض نادر."]
    assert measure_readability(AR_TEXT, "ar", "plain")["sentences"]["count"] == 5


def test_arabic_osman_is_reported_and_the_target_is_the_sentence_rules():
    short = measure_readability(AR_TEXT, "ar", "plain")
    long_sentence = " ".join(["يعالج الأطباء سرطان العظام بالجراحة والعلاج الكيميائي"] * 5) + "."
    long = measure_readability(long_sentence, "ar", "plain")

    assert short["formula"] == "osman" and isinstance(short["score"], float)
    assert short["target"]["kind"] == "none" and short["target"]["score"] is None
    assert short["meets_target"] is True
    assert long["meets_sentence_rules"] is False and long["meets_target"] is False


def test_arabic_vowel_marks_stay_inside_words():
    vowelled = "العِظَامُ قَوِيَّةٌ."

    assert readability.words_of(vowelled) == ["العِظَامُ", "قَوِيَّةٌ"]
    # ki-taa-bun: with marks, a short syllable, a long one and a tanween, the last two counted double.
    assert readability.arabic_syllables("كِتَابٌ") == 5
    # Without marks, estimated from the letters other than alef.
    assert readability.arabic_syllables("كتاب") == 3


def test_chinese_sentences_end_on_full_width_marks_and_are_measured_in_characters():
    result = measure_readability(ZH_TEXT, "zh-hans", "plain")

    assert split_sentences(ZH_TEXT, "zh-hans")[2] == "医生会做活检！"
    assert result["sentences"]["count"] == 5
    assert result["sentences"]["unit"] == "characters"
    assert result["sentences"]["longest"] == 12
    assert result["meets_target"] is True


def test_a_long_chinese_sentence_breaks_the_character_limit():
    long_sentence = "骨肉瘤是一种常见于青少年的骨癌，" * 3 + "医生通常会先做活检再决定治疗方案。"

    result = measure_readability(long_sentence, "zh-hans", "plain")

    assert result["sentences"]["longest"] > sentence_rules("zh-hans", "plain")["limit_longest"]
    assert result["meets_target"] is False


def test_uncommon_chinese_characters_raise_the_difficulty_coefficient():
    common = measure_readability("骨癌会让骨头很疼。医生会做手术。", "zh-hans", "standard")
    rare = measure_readability("骶骨脊索瘤会让胫腓骨很疼。医生会做手术。", "zh-hans", "standard")

    assert common["long_word_share"] == 0.0
    assert rare["long_word_share"] > 0.1
    assert rare["score"] > common["score"]


@pytest.mark.parametrize(
    ("tag", "code", "text"),
    [("es-ES", "es", ES_PLAIN), ("fr_CA", "fr", FR_PLAIN), ("zh-Hans-CN", "zh-hans", ZH_TEXT), ("en-GB", "en", EN_PLAIN)],
)
def test_regional_tags_are_scored_as_their_base_language(tag, code, text):
    assert measure_readability(text, tag, "plain") == measure_readability(text, code, "plain")


def test_a_language_without_rules_is_refused_rather_than_scored_as_english():
    with pytest.raises(ValueError, match="de"):
        measure_readability("Der Knochen ist hart.", "de", "plain")


def test_decimals_titles_and_abbreviations_do_not_end_sentences_but_short_sentences_count():
    text = "Take 2.5 mg a day. See Dr. Smith, e.g. on Monday. Is it bad? Yes! Visit bonecare.org today."

    assert split_sentences(text, "en") == [
        "Take 2.5 mg a day.",
        "See Dr. Smith, e.g. on Monday.",
        "Is it bad?",
        "Yes!",
        "Visit bonecare.org today.",
    ]


def test_headings_and_short_list_items_do_not_flatter_the_average_sentence_length():
    long_sentence = "Chemotherapy uses strong medicines that travel through the blood to kill cancer cells in the body."
    text = f"Treatment.\n{long_sentence} {long_sentence}\nPain.\nSwelling."

    result = measure_readability(text, "en", "plain")

    assert result["sentences"]["count"] == 2
    assert result["sentences"]["average_length"] == 16.0
    assert result["meets_sentence_rules"] is False


@pytest.mark.parametrize("language", list(READABILITY_TARGETS))
@pytest.mark.parametrize("level", ["standard", "plain"])
def test_every_result_states_its_target_and_rules_and_is_plain_json(language, level):
    result = measure_readability(SAMPLES[language], language, level)

    assert result["target"] == readability_target(language, level)
    assert result["target"]["basis"]
    assert result["sentences"]["limit_average"] == sentence_rules(language, level)["limit_average"]
    assert json.loads(json.dumps(result)) == result
    floats = [result["score"], result["long_word_share"], result["sentences"]["average_length"]]
    floats += [other["score"] for other in result["other_scores"]]
    assert all(round(value, 2) == value for value in floats)


@pytest.mark.parametrize("language", list(READABILITY_TARGETS))
@pytest.mark.parametrize("level", ["standard", "plain"])
def test_every_target_has_the_same_shape_whatever_the_language(language, level):
    target = measure_readability(SAMPLES[language], language, level)["target"]
    rules = sentence_rules(language, level)

    assert set(target) == {"kind", "score", "basis", "sentence_average_max", "sentence_longest_max"}
    assert target["kind"] in {"max", "min", "none"}
    assert (target["score"] is None) == (target["kind"] == "none")
    assert (target["sentence_average_max"], target["sentence_longest_max"]) == (rules["limit_average"], rules["limit_longest"])


def test_plain_targets_are_stricter_than_standard_ones():
    for language, targets in READABILITY_TARGETS.items():
        plain, standard = targets["plain"], targets["standard"]
        assert plain["kind"] == standard["kind"], language
        if plain["kind"] == "max":
            assert plain["score"] < standard["score"], language
        if plain["kind"] == "min":
            assert plain["score"] > standard["score"], language
        assert sentence_rules(language, "plain")["limit_average"] < sentence_rules(language, "standard")["limit_average"]


def test_measuring_in_threads_gives_the_same_results_as_serially():
    jobs = [(SAMPLES[language], language, level) for language in SAMPLES for level in ("standard", "plain")] * 4
    jobs += [(EN_DENSE, "en", "plain"), (ES_DENSE, "es", "plain"), (FR_DENSE, "fr", "plain")] * 4
    serial = [measure_readability(*job) for job in jobs]
    readability.syllables_in_word.cache_clear()

    with ThreadPoolExecutor(max_workers=8) as pool:
        threaded = list(pool.map(lambda job: measure_readability(*job), jobs))

    assert threaded == serial


def test_textstat_process_wide_language_does_not_change_scores():
    before = measure_readability(EN_PLAIN, "en", "plain")
    try:
        textstat.set_lang("es")
        readability.syllables_in_word.cache_clear()
        assert measure_readability(EN_PLAIN, "en", "plain") == before
    finally:
        textstat.set_lang("en")


@pytest.fixture
def no_network(monkeypatch):
    """Any attempt to open a connection or resolve a name fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args!r}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)
    # Make the data files load again, under the patch.
    readability.syllables_in_word.cache_clear()
    readability.common_chinese_characters.cache_clear()
    readability.count_syllables.cache_clear()
    textstat_utils.get_cmudict.cache_clear()
    textstat_utils.get_pyphen.cache_clear()


@pytest.mark.parametrize("language", list(SAMPLES))
def test_measuring_never_touches_the_network(no_network, language):
    result = measure_readability(SAMPLES[language], language, "plain")

    assert isinstance(result["score"], float)
