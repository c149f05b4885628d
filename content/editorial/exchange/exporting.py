"""Articles out to translators: one file, one target language."""

from dataclasses import dataclass

from django.utils import timezone

from content.editorial.exchange.formats import FORMATS
from content.editorial.exchange.units import article_units, target_languages
from content.languages import SOURCE_LANGUAGE


class ExportRefused(Exception):
    pass


@dataclass(frozen=True)
class ExportedFile:
    content: bytes
    file_name: str
    content_type: str
    unit_count: int
    article_count: int


def check_target_language(language):
    if language == SOURCE_LANGUAGE:
        raise ExportRefused(
            f"English is the source language, not a target; choose one of: {', '.join(target_languages())}"
        )
    if language not in target_languages():
        raise ExportRefused(f"unsupported language {language!r}; choose one of: {', '.join(target_languages())}")


def export_articles(articles, language, format_name="xliff"):
    """An ExportedFile with every variant of `articles` (a queryset) for translation into `language`."""
    check_target_language(language)
    if format_name not in FORMATS:
        raise ExportRefused(f"unknown format {format_name!r}; choose one of: {', '.join(FORMATS)}")
    exchange_format = FORMATS[format_name]
    articles = list(articles.prefetch_related("variants"))
    if not articles:
        raise ExportRefused("no articles to export")
    units = article_units(articles, language)
    if not units:
        raise ExportRefused("the articles have no English text to translate")
    return ExportedFile(
        content=exchange_format.write(units, language),
        file_name=export_file_name(articles, language, exchange_format.extension),
        content_type=exchange_format.content_type,
        unit_count=len(units),
        article_count=len(articles),
    )


def export_file_name(articles, language, extension):
    subject = articles[0].slug if len(articles) == 1 else "bonecare-articles"
    return f"{subject}.{language}.{timezone.localdate().isoformat()}.{extension}"
