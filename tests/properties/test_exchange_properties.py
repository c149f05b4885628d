"""The XLIFF/PO round trip: what a translator writes is exactly what BoneCare stores, for any text.

Arbitrary Unicode (right-to-left, CJK, emoji, quotes, "<", "&", newlines,
tabs) goes through write → read of each format, and through the whole path:
export, the translator's tool filling targets, import.
"""

import pytest
from hypothesis import assume, example, given
from hypothesis import strategies as st

from content.editorial.exchange.formats import FORMATS
from content.editorial.exchange.exporting import export_articles
from content.editorial.exchange.importing import import_translations
from content.editorial.exchange.units import ExchangeUnit
from content.models import Article, ArticleVariant
from content.text.plain_text import html_tags, normalise_line_breaks, text_problems
from tests.factories import make_article
from tests.test_exchange import translated

# Text a person can type: every character but control characters and unpaired surrogates, plus tab and newline.
typed = st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\u2028\u2029")
text = st.text(st.one_of(typed, st.sampled_from(["\n", "\t", "<", "&", '"', "'", "\u200f", "\u200e"])), max_size=80)
SAMPLES = [
    "سرطان العظام <ليس> \"مُعدٍ\" & نادر",
    "骨癌\n「罕见」 & <少见>",
    "PSA < 4 & \"rising\" — l'os\ttabulé",
    "  leading and trailing spaces  ",
    "\nstarts with a newline\n\n",
    "\u200fמימין לשמאל\u200e",
    "emoji 🦴 and 𠀀",
]


def round_trip(file_format, units, language="fr"):
    exchange_format = FORMATS[file_format]
    return exchange_format.read(exchange_format.write(units, language))


# Anything at all, control characters and lone surrogates included.
any_text = st.text(st.characters(), max_size=40)


@pytest.mark.parametrize("file_format", FORMATS)
@given(target=any_text)
@example(target="a\x0bb")
@example(target="\ufffe")
@example(target="\x00")
@example(target="a\r\nb\rc")  # a text area's line breaks: stored as "\n", so the file carries them whole
def test_text_a_file_cannot_carry_is_refused_when_written(file_format, target):
    """XLIFF (XML) silently drops some characters; the write path refuses them, so no stored text loses any."""
    if text_problems(target):
        return
    target = normalise_line_breaks(target)  # as the write path stores it
    unit = ExchangeUnit("osteo/standard/title", "source", target, "e" * 64, "t" * 64)
    assert round_trip(file_format, [unit]).units == [unit]


@pytest.mark.parametrize("file_format", FORMATS)
@given(source=text.filter(str.strip), target=text)
@example(source=SAMPLES[0], target=SAMPLES[1])
@example(source=SAMPLES[2], target=SAMPLES[3])
@example(source=SAMPLES[4], target=SAMPLES[5])
@example(source=SAMPLES[6], target="")
def test_a_unit_comes_back_as_it_went_out(file_format, source, target):
    unit = ExchangeUnit("osteo/standard/title", source, target, "e" * 64, "t" * 64)

    read = round_trip(file_format, [unit])

    assert read.units == [unit]
    assert read.language_tag.replace("_", "-").lower() == "fr"


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", FORMATS)
@given(title=text, summary=text)
@example(title=SAMPLES[0], summary=SAMPLES[1])
@example(title=SAMPLES[2], summary=SAMPLES[4])
@example(title=SAMPLES[5], summary=SAMPLES[6])
def test_export_translate_import_stores_exactly_what_the_translator_wrote(file_format, title, summary):
    title = title.strip() or "t"
    assume(not html_tags(title) and not html_tags(summary) and len(title) <= 200 and summary.strip())
    if not Article.objects.filter(slug="osteo").exists():
        make_article("osteo", languages=("en",), levels=("standard",))
    variant = ArticleVariant.objects.get(article__slug="osteo")
    ArticleVariant.objects.filter(pk=variant.pk).update(title_ar="", summary_ar="", body_ar="")
    data = export_articles(Article.objects.filter(slug="osteo"), "ar", file_format).content
    data = translated(
        data, {"osteo/standard/title": title, "osteo/standard/summary": summary, "osteo/standard/body": variant.body_en}
    )

    report = import_translations(data, f"osteo.{file_format}")

    assert report.errors == []
    variant.refresh_from_db()
    assert (variant.title_ar, variant.summary_ar) == (title, summary)
    # And exporting again gives the same text back, now as the current translation.
    again = FORMATS[file_format].read(export_articles(Article.objects.filter(slug="osteo"), "ar", file_format).content)
    targets = {unit.unit_id: unit.target for unit in again.units}
    assert (targets["osteo/standard/title"], targets["osteo/standard/summary"]) == (title, summary)


@pytest.mark.django_db
@pytest.mark.parametrize("file_format", FORMATS)
def test_an_untouched_file_after_an_admin_edit_changes_nothing(admin_client, file_format):
    """Found by the round trip: a browser sends a text area's line breaks as "\\r\\n", files bring them back as
    "\\n", so re-importing an untouched export used to apply every edited body and reset its clinical review."""
    from content.models import ReviewStatus, TranslationReview
    from tests.admin_forms import post_change_form

    make_article("osteo", languages=("en", "es"), levels=("standard",))
    variant = ArticleVariant.objects.get(article__slug="osteo")
    body = variant.body_es.replace("\n", "\r\n")
    response = post_change_form(
        admin_client, f"/admin/content/articlevariant/{variant.pk}/change/", "articlevariant_form",
        body_es=body + "\r\n\r\nUn párrafo más.",
    )
    assert response.status_code == 302
    variant.refresh_from_db()
    assert "\r" not in variant.body_es
    TranslationReview.objects.filter(variant=variant, language="es").update(status=ReviewStatus.CLINICIAN_REVIEWED)

    data = export_articles(Article.objects.filter(slug="osteo"), "es", file_format).content
    report = import_translations(data, f"osteo.{file_format}")

    assert (report.errors, report.applied) == ([], [])
    assert TranslationReview.objects.get(variant=variant, language="es").status == ReviewStatus.CLINICIAN_REVIEWED
