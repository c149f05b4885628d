import pytest

from content.delivery.negotiation import NegotiationError, negotiate, supported_language


@pytest.mark.parametrize(
    "tag, expected",
    [
        ("es", "es"),
        ("es-ES", "es"),
        ("es-419", "es"),
        ("fr_CA", "fr"),
        ("zh-CN", "zh-hans"),
        ("zh-Hans-CN", "zh-hans"),
        ("zh", "zh-hans"),
        ("zh-Hant", None),
        ("zh-TW", None),
        ("ar-EG", "ar"),
        ("ar-Latn", None),
        ("pt", None),
        ("", None),
        ("!!", None),
        ("x" * 100, None),
    ],
)
def test_supported_language_maps_bcp47_tags(tag, expected):
    assert supported_language(tag) == expected


def test_header_is_used_when_no_lang_parameter():
    negotiated = negotiate({}, "de-DE, fr-CA;q=0.8")
    assert (negotiated.language, negotiated.language_source) == ("fr", "header")
    assert negotiated.requested_language == "de-DE, fr-CA;q=0.8"


def test_english_when_nothing_matches():
    negotiated = negotiate({}, "de, it")
    assert (negotiated.language, negotiated.language_source) == ("en", "default")


def test_a_wildcard_accepts_english_rather_than_falling_back_to_it():
    negotiated = negotiate({}, "de, *;q=0.5")
    assert (negotiated.language, negotiated.language_source) == ("en", "header")
    assert negotiate({}, "*;q=0, de").language_source == "default"


def test_level_defaults_to_standard_and_rejects_unknown():
    assert negotiate({}, None).level == "standard"
    assert negotiate({"level": "plain"}, None).level == "plain"
    with pytest.raises(NegotiationError) as caught:
        negotiate({"level": "Plain"}, None)
    assert caught.value.code == "unsupported_level"


def test_empty_lang_parameter_is_an_error_not_a_silent_default():
    with pytest.raises(NegotiationError) as caught:
        negotiate({"lang": ""}, "es")
    assert caught.value.code == "unsupported_language"


def test_lang_parameter_takes_our_codes_as_the_schema_spells_them_and_refuses_anything_else():
    assert negotiate({"lang": "zh-hans"}, None).language == "zh-hans"
    assert negotiate({"lang": "fr"}, "es").language == "fr"
    for tag in ("fr-CA", "zh-CN", "es_ES", "ZH-Hans", "EN"):
        with pytest.raises(NegotiationError) as caught:
            negotiate({"lang": tag}, "fr-CA")
        assert caught.value.code == "unsupported_language"
        assert caught.value.details["supported"] == ["en", "es", "fr", "zh-hans", "ar"]
