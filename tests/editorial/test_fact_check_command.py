"""`manage.py fact_check` over the shipped content as `load_content` brings it to a database."""

import pytest
from django.core.management import CommandError, call_command
from modeltranslation.utils import build_localized_fieldname

from content.editorial import services
from content.models import ArticleVariant

pytestmark = pytest.mark.django_db


@pytest.fixture
def shipped_content():
    call_command("load_content", verbosity=0)


def test_the_shipped_content_has_no_unexplained_difference(shipped_content, capsys):
    call_command("fact_check")

    out = capsys.readouterr().out
    assert "[5/5] treating-bone-metastases" in out
    totals = {line.split()[0]: line.split()[1:] for line in out.splitlines()[-7:-1] if line.split()[0] in
              ("en", "es", "fr", "zh-hans", "ar")}
    # texts checked per language: the 5 English plain texts, 10 texts in each other language; none unexplained
    assert {language: (row[0], row[3]) for language, row in totals.items()} == {
        "en": ("5", "0"), "es": ("10", "0"), "fr": ("10", "0"), "zh-hans": ("10", "0"), "ar": ("10", "0"),
    }
    assert "No unexplained differences." in out


def test_a_broken_translation_fails_the_command_and_is_printed_side_by_side(shipped_content, capsys):
    variant = ArticleVariant.objects.get(article__slug="saving-the-leg-with-limb-salvage-surgery", level="standard")
    column = build_localized_fieldname("body", "fr")
    setattr(variant, column, getattr(variant, column).replace("cite quatre conditions", "cite trois conditions"))
    services.save_variant(variant, reason="test")

    with pytest.raises(CommandError, match="2 unexplained differences"):
        call_command("fact_check", "--lang", "fr", "--article", "saving-the-leg-with-limb-salvage-surgery")

    out = capsys.readouterr().out
    assert "[UNEXPLAINED] The English has the number “4”; this text does not." in out
    assert "en: The hospital names four conditions under which amputation may not be needed." in out
    assert "fr: L’hôpital cite trois conditions" in out
    assert "es standard" not in out
