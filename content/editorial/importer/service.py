"""The import of one file into the database: a source, a draft article and its report.

Everything is read, validated and parsed before the first write, and each
file is written in its own transaction, so a bad file leaves the database as
it was. Importing the same file again writes nothing. An article an editor
has changed since the importer wrote it is never overwritten.
"""

import hashlib
from dataclasses import dataclass, field
from enum import StrEnum

from django.db import DatabaseError, transaction
from django.utils import timezone, translation
from django.utils.text import slugify

from content.editorial import services
from content.editorial.disk_full import DISK_FULL_MESSAGE, is_disk_full
from content.editorial.importer.errors import ImportFailure
from content.editorial.importer.document import build_document
from content.editorial.importer.report import editor_conflict
from content.editorial.importer.source_file import read_source_file
from content.models import Article, ArticleVariant, ImportDefect, ReadingLevel, SourceDocument, Topic
from content.languages import SOURCE_LANGUAGE
from content.translation import raw_translation

SLUG_MAX_LENGTH = Article._meta.get_field("slug").max_length
# (topic slug, English name if the topic has to be created, words in the title that choose it); first match wins.
TOPIC_KEYWORDS = (
    ("bone-metastasis", "Bone metastasis", ("metasta",)),
    (
        "treatments",
        "Chemotherapy, radiation and targeted therapy",
        ("chemotherapy", "radiation", "targeted", "treatments"),
    ),
)
DEFAULT_TOPIC = ("surgery", "Surgery and limb salvage")


class Outcome(StrEnum):
    IMPORTED = "imported"
    UPDATED = "updated"
    UNCHANGED = "unchanged"
    CONFLICT = "conflict"


class ArticleAction(StrEnum):
    """What the import did to the source's article."""

    MADE = "made"
    UPDATED = "updated"
    LEFT_ALONE = "left alone"
    NONE = "none"  # an unchanged file whose article has since been deleted


@dataclass
class ImportOutcome:
    file_name: str
    outcome: Outcome
    block_count: int = 0
    article_slug: str = ""
    article_action: ArticleAction = ArticleAction.NONE
    notes: list = field(default_factory=list)
    # The source's import report as stored, in the order the admin lists it.
    defects: list = field(default_factory=list)

    @property
    def defect_count(self):
        return len(self.defects)


def import_document(path):
    """Import one file; return what happened. Raises ImportFailure for bad input (before any write) or a full disk."""
    source_file = read_source_file(path)
    document = build_document(source_file.text, source_file.file_name)
    try:
        with transaction.atomic():
            return _store(source_file, document)
    except (DatabaseError, OSError) as error:
        # Rolled back by now: the file left no trace. A full disk is told plainly; anything else is a bug.
        if not is_disk_full(error):
            raise
        raise ImportFailure(f"{source_file.file_name}: {DISK_FULL_MESSAGE}") from error


def _store(source_file, document):
    source = SourceDocument.objects.select_for_update().filter(file_name=source_file.file_name).first()
    if source is not None and source.raw_text and source.checksum == source_file.checksum:
        article = (
            Article.objects.filter(imported_from=source).first() or Article.objects.filter(sources=source).first()
        )
        return ImportOutcome(
            source_file.file_name,
            Outcome.UNCHANGED,
            len(document.blocks),
            article_slug=article.slug if article else "",
            article_action=ArticleAction.LEFT_ALONE if article else ArticleAction.NONE,
            defects=list(source.defects.all()),
        )

    first_import = source is None or not source.raw_text
    source = _save_source(source, source_file, document, fill_only_blanks=first_import)
    outcome = ImportOutcome(
        source_file.file_name, Outcome.IMPORTED if first_import else Outcome.UPDATED, len(document.blocks)
    )
    extra_defects = _apply_to_article(source, document, outcome)
    _replace_report(source, [*document.defects, *extra_defects])
    outcome.defects = list(source.defects.all())
    return outcome


def _apply_to_article(source, document, outcome):
    """Create, update or leave the source's article; return defects that arise from it."""
    article = Article.objects.filter(imported_from=source).first()
    if article is None:
        cited_by = Article.objects.filter(sources=source).first()
        if cited_by is not None:
            outcome.article_slug, outcome.article_action = cited_by.slug, ArticleAction.LEFT_ALONE
            outcome.notes.append(f"the article '{cited_by.slug}' already cites this source and was left as it is")
            return []
        outcome.article_slug, outcome.article_action = _create_article(source, document).slug, ArticleAction.MADE
        return []
    outcome.article_slug = article.slug
    if _edited_since_import(article):
        outcome.outcome, outcome.article_action = Outcome.CONFLICT, ArticleAction.LEFT_ALONE
        outcome.notes.append(
            f"the article '{article.slug}' was edited since the last import: the editor's text is kept and "
            "this file's text was not applied (see the import report)"
        )
        return [editor_conflict(article.slug)]
    outcome.article_action = ArticleAction.UPDATED
    _write_text(article, document)
    return []


def _save_source(source, source_file, document, fill_only_blanks):
    """Write the file and what it states about itself; never blank out what the source record already says.

    A record the shipped-content loader made (a citation without text) keeps
    every value it has; only its blanks are filled.
    """
    source = source or SourceDocument(file_name=source_file.file_name)
    stated = {"title": document.title, "publisher": document.publisher, **document.metadata.stated()}
    for name, value in stated.items():
        if value in ("", None):
            continue
        if not fill_only_blanks or getattr(source, name) in ("", None):
            setattr(source, name, value)
    source.raw_text = source_file.text
    source.checksum = source_file.checksum
    source.imported_at = timezone.now()
    services.save_source(source)
    return source


def english_fingerprint(variant):
    """Checksum of the English text, to tell later whether an editor changed what the importer wrote."""
    parts = [raw_translation(variant, name, SOURCE_LANGUAGE) for name in ("title", "summary", "body")]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def _edited_since_import(article):
    variant = article.variants.filter(level=ReadingLevel.STANDARD).first()
    return variant is None or english_fingerprint(variant) != article.import_fingerprint


def _create_article(source, document):
    topic_slug, topic_name = choose_topic(document.title)
    with translation.override(SOURCE_LANGUAGE):
        topic = Topic.objects.filter(slug=topic_slug).first()
        if topic is None:
            topic = Topic(slug=topic_slug, name_en=topic_name)
            services.save_topic(topic)
        article = services.create_article(unique_slug(document.title), topic, sources=[source], imported_from=source)
    _write_text(article, document)
    return article


def choose_topic(title):
    """(slug, English name) of the topic the title's words point to."""
    words = title.lower()
    for slug, name, keywords in TOPIC_KEYWORDS:
        if any(keyword in words for keyword in keywords):
            return slug, name
    return DEFAULT_TOPIC


def unique_slug(title):
    base = slugify(title)[: SLUG_MAX_LENGTH - 4].rstrip("-") or "imported-article"
    slug, number = base, 2
    while Article.objects.filter(slug=slug).exists():
        slug, number = f"{base}-{number}", number + 1
    return slug


def _write_text(article, document):
    """Put the imported text into the standard English variant and remember its fingerprint."""
    variant = article.variants.filter(level=ReadingLevel.STANDARD).first() or ArticleVariant(
        article=article, level=ReadingLevel.STANDARD
    )
    texts = {"title_en": document.title, "summary_en": document.summary, "body_en": document.body}
    for name, value in texts.items():
        setattr(variant, name, value)
    services.save_variant(variant, changed_by="importer", reason=f"Imported from {article.imported_from.file_name}")
    fingerprint = english_fingerprint(variant)
    if article.import_fingerprint != fingerprint:
        article.import_fingerprint = fingerprint
        services.save_article_details(article, reason="Import fingerprint")


def _replace_report(source, defects):
    """The report describes the file as it is now: earlier findings go."""
    source.defects.all().delete()
    rows = [
        ImportDefect(source=source, kind=defect.kind, message=defect.message, excerpt=defect.excerpt, line=defect.line)
        for defect in defects
    ]
    ImportDefect.objects.bulk_create(rows)
