"""Load the content BoneCare ships (content/shipped/) into the database.

The files are the reviewable form of the content: one Markdown file with front
matter per article x level x language, one YAML file per glossary term, and
YAML lists of topics and sources. Loading is idempotent: a row is written only
when a file says something different from the database, so reloading on every
`make run` leaves `updated_at`, ETags and Last-Modified alone.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from content.editorial.derivation import sync_renditions
from content.text.glossary_matching import glossary_entries
from content.languages import language_codes
from content.editorial.publishing import publication_problems
from content.models import (
    Article,
    ArticleStatus,
    ArticleVariant,
    GlossaryTerm,
    ReadingLevel,
    ReviewStatus,
    SourceDocument,
    Topic,
    TranslationReview,
)

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "shipped"
SOURCE_FIELDS = ("publisher", "title", "url", "checksum", "reviewed_by", "updated_on", "last_medical_review", "last_revised")
GLOSSARY_FIELDS = ("term", "definition", "plain_definition", "aliases")


class ShippedContentError(Exception):
    """A shipped file is malformed; the message names the file and the problem."""


@dataclass
class LoadSummary:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    unchanged: int = 0

    def record(self, label, created, changed):
        if created:
            self.created.append(label)
        elif changed:
            self.updated.append(label)
        else:
            self.unchanged += 1

    def __str__(self):
        return f"{len(self.created)} created, {len(self.updated)} updated, {self.unchanged} unchanged"


def load_shipped_content(root=SHIPPED_DIR, progress=None):
    """Load everything under `root` in one transaction; return a LoadSummary."""
    root = Path(root)
    progress = progress or (lambda message: None)
    summary = LoadSummary()
    with transaction.atomic():
        _load_topics(root, summary)
        progress(f"topics: {summary}")
        _load_sources(root, summary)
        progress(f"sources: {summary}")
        _load_glossary(root, summary)
        progress(f"glossary: {summary}")
        glossary = glossary_entries()
        article_dirs = sorted(path for path in (root / "articles").iterdir() if path.is_dir())
        for position, article_dir in enumerate(article_dirs, start=1):
            _load_article(article_dir, summary, glossary)
            progress(f"[{position}/{len(article_dirs)}] {article_dir.name}")
    return summary


def _read_yaml(path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise ShippedContentError(f"{path}: cannot be read as YAML ({exc})") from exc


def _require(data, key, path):
    value = data.get(key) if isinstance(data, dict) else None
    if value in (None, ""):
        raise ShippedContentError(f"{path}: '{key}' is missing")
    return value


def _apply(instance, values):
    """Set attributes that differ; return whether anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(instance, name) != value:
            setattr(instance, name, value)
            changed = True
    return changed


def _upsert(model, lookup, values, summary, label):
    instance = model.objects.filter(**lookup).first()
    created = instance is None
    if created:
        instance = model(**lookup)
    changed = _apply(instance, values)
    if created or changed:
        instance.save()
    summary.record(label, created, changed)
    return instance, created or changed


def _translated(field_name, per_language):
    return {build_localized_fieldname(field_name, lang): text for lang, text in per_language.items()}


def _load_topics(root, summary):
    path = root / "topics.yaml"
    for entry in _read_yaml(path) or []:
        slug = _require(entry, "slug", path)
        values = {"position": entry.get("position", 0)}
        values.update(_translated("name", _known_languages(entry.get("name") or {}, path)))
        values.update(_translated("description", _known_languages(entry.get("description") or {}, path)))
        _upsert(Topic, {"slug": slug}, values, summary, f"topic {slug}")


def _load_sources(root, summary):
    path = root / "sources.yaml"
    for entry in _read_yaml(path) or []:
        file_name = _require(entry, "file_name", path)
        _require(entry, "title", path)
        values = {name: _as_value(entry.get(name)) for name in SOURCE_FIELDS if name in entry}
        _upsert(SourceDocument, {"file_name": file_name}, values, summary, f"source {file_name}")


def _as_value(value):
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value
    return str(value)


def _load_glossary(root, summary):
    for path in sorted((root / "glossary").glob("*.yaml")):
        entry = _read_yaml(path)
        slug = _require(entry, "slug", path)
        if slug != path.stem:
            raise ShippedContentError(f"{path}: slug '{slug}' does not match the file name")
        values = {}
        for lang in language_codes():
            texts = entry.get(lang) or {}
            for name in GLOSSARY_FIELDS:
                value = texts.get(name, "")
                if name == "aliases" and isinstance(value, list):
                    value = "\n".join(str(item) for item in value)
                values[build_localized_fieldname(name, lang)] = (value or "").strip()
        for name in ("term", "definition", "plain_definition"):
            if not values[build_localized_fieldname(name, "en")]:
                raise ShippedContentError(f"{path}: the English '{name}' is missing")
        _upsert(GlossaryTerm, {"slug": slug}, values, summary, f"glossary {slug}")


def _known_languages(per_language, path):
    unknown = set(per_language) - set(language_codes())
    if unknown:
        raise ShippedContentError(f"{path}: unknown language(s) {sorted(unknown)}; known: {language_codes()}")
    return per_language


def _load_article(article_dir, summary, glossary):
    meta_path = article_dir / "article.yaml"
    meta = _read_yaml(meta_path)
    slug = _require(meta, "slug", meta_path)
    if slug != article_dir.name:
        raise ShippedContentError(f"{meta_path}: slug '{slug}' does not match the folder name")
    topic = Topic.objects.filter(slug=_require(meta, "topic", meta_path)).first()
    if topic is None:
        raise ShippedContentError(f"{meta_path}: unknown topic '{meta['topic']}'")
    source_names = meta.get("sources") or []
    sources = list(SourceDocument.objects.filter(file_name__in=source_names))
    missing = set(source_names) - {source.file_name for source in sources}
    if missing:
        raise ShippedContentError(f"{meta_path}: unknown source(s) {sorted(missing)}")
    article, _changed = _upsert(
        Article,
        {"slug": slug},
        {
            "topic_id": topic.pk,
            "status": meta.get("status", "draft"),
            "last_reviewed": meta.get("last_reviewed"),
            "next_review": meta.get("next_review"),
        },
        summary,
        f"article {slug}",
    )
    if {source.pk for source in article.sources.all()} != {source.pk for source in sources}:
        article.sources.set(sources)
        article.touch()

    texts = _read_variant_files(article_dir)
    for level, per_language in texts.items():
        _load_variant(article, level, per_language, summary, glossary)
    if article.status == ArticleStatus.PUBLISHED:
        problems = publication_problems(article)
        if problems:
            raise ShippedContentError(f"{article_dir}: cannot be published: {' '.join(problems)}")


def _read_variant_files(article_dir):
    texts = {}
    for path in sorted(article_dir.glob("*.md")):
        parts = path.name.split(".")
        if len(parts) != 3 or parts[0] not in ReadingLevel.values or parts[1] not in language_codes():
            raise ShippedContentError(
                f"{path}: expected <level>.<language>.md with level in {ReadingLevel.values} "
                f"and language in {language_codes()}"
            )
        level, lang = parts[0], parts[1]
        try:
            post = frontmatter.loads(path.read_text(encoding="utf-8"))
        except Exception as exc:  # frontmatter raises YAML and decode errors alike
            raise ShippedContentError(f"{path}: cannot be read ({exc})") from exc
        status = post.get("review_status")
        if status not in ReviewStatus.values:
            raise ShippedContentError(f"{path}: review_status must be one of {ReviewStatus.values}, not {status!r}")
        texts.setdefault(level, {})[lang] = {
            "title": _require(post.metadata, "title", path).strip(),
            "summary": (post.get("summary") or "").strip(),
            "body": post.content.strip(),
            "review_status": status,
            "translated_by": post.get("translated_by", ""),
            "reviewed_by": post.get("reviewed_by", ""),
            "reviewed_on": post.get("reviewed_on"),
        }
    for level, per_language in texts.items():
        if "en" not in per_language:
            raise ShippedContentError(f"{article_dir}: the {level} level has no English text ({level}.en.md)")
    return texts


def _load_variant(article, level, per_language, summary, glossary):
    variant = ArticleVariant.objects.filter(article=article, level=level).first()
    created = variant is None
    if created:
        variant = ArticleVariant(article=article, level=level)
    values = {}
    for lang in language_codes():
        texts = per_language.get(lang, {})
        for name in ("title", "summary", "body"):
            values[build_localized_fieldname(name, lang)] = texts.get(name, "")
    changed = _apply(variant, values)
    if created or changed:
        variant.save()
    elif sync_renditions(variant, glossary):
        # The text is the same but what is derived from it changed (a new
        # glossary term, a revised formula): the served article did change.
        article.touch()
    summary.record(f"{article.slug} {level}", created, changed)

    for lang, texts in per_language.items():
        _upsert(
            TranslationReview,
            {"variant": variant, "language": lang},
            {
                "status": texts["review_status"],
                "translated_by": texts["translated_by"] or "",
                "reviewed_by": texts["reviewed_by"] or "",
                "reviewed_on": texts["reviewed_on"],
            },
            summary,
            f"{article.slug} {level} {lang} review",
        )
