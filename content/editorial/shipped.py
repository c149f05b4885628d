"""Load the content BoneCare ships (content/shipped/) into the database, without ever overwriting an editor.

The files are the reviewable form of the content: one Markdown file with front
matter per article x level x language, one YAML file per glossary term, and
YAML lists of topics and sources.

What is missing is created (an article that ships as published is published
through the logged workflow). A row that exists is changed only while it
still equals what was last shipped, judged per language for translated text
by a fingerprint kept in ShippedFingerprint; the change goes through the
write path, so on a published article it waits as a pending change for a
Medical reviewer. A row someone has edited is skipped and reported with the
reason. Status and review records of existing rows are never touched. So a
restart changes nothing, a corrected shipped text reaches a database nobody
has edited, and never overwrites one somebody has.
"""

import datetime
from dataclasses import dataclass, field
from pathlib import Path

import frontmatter
import yaml
from django.db import transaction
from modeltranslation.utils import build_localized_fieldname

from content import clinical_codes
from content.editorial import services
from content.fingerprints import fingerprint, language_texts
from content.languages import SOURCE_LANGUAGE, language_codes
from content.models import (
    Article,
    ArticleStatus,
    ArticleVariant,
    GlossaryTerm,
    ReadingLevel,
    ReviewStatus,
    ShippedFingerprint,
    SourceDocument,
    Topic,
)
from content.translation import GLOSSARY_FIELDS, VARIANT_FIELDS

SHIPPED_DIR = Path(__file__).resolve().parent.parent / "shipped"
SOURCE_FIELDS = ("publisher", "title", "url", "checksum", "reviewed_by", "updated_on", "last_medical_review", "last_revised")
ARTICLE_DETAIL_FIELDS = ("topic_id", "last_reviewed", "next_review")
SHIPPED_BY = "shipped content"


class ShippedContentError(Exception):
    """A shipped file is malformed; the message names the file and the problem."""


@dataclass
class LoadSummary:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    skipped: list = field(default_factory=list)  # (label, reason)
    unchanged: int = 0

    def __str__(self):
        return (
            f"{len(self.created)} created, {len(self.updated)} updated, "
            f"{len(self.skipped)} skipped (changed in BoneCare), {self.unchanged} unchanged"
        )


def load_shipped_content(root=SHIPPED_DIR, progress=None):
    """Load everything under `root` in one transaction; return a LoadSummary."""
    root = Path(root)
    progress = progress or (lambda message: None)
    summary = LoadSummary()
    with transaction.atomic():
        codes = _read_codes(root)
        _load_topics(root, summary)
        progress(f"topics: {summary}")
        _load_sources(root, summary)
        progress(f"sources: {summary}")
        _load_glossary(root, summary, codes)
        progress(f"glossary: {summary}")
        article_dirs = sorted(path for path in (root / "articles").iterdir() if path.is_dir())
        for position, article_dir in enumerate(article_dirs, start=1):
            _load_article(article_dir, summary, codes)
            progress(f"[{position}/{len(article_dirs)}] {article_dir.name}")
    return summary


class ShippedRow:
    """What the loader knows of one row (or one language of one): may it change it?"""

    def __init__(self, key, current, edited_by_person=False):
        self.key = key
        self.current = _shipped_fingerprint(current)
        self.record = ShippedFingerprint.objects.filter(key=key).first()
        self.edited_by_person = edited_by_person

    def may_change(self):
        if self.record is not None:
            return self.record.fingerprint == self.current
        # Loaded before fingerprints were kept: only a row no person ever saved is ours to change.
        return not self.edited_by_person

    def remember(self, shipped):
        ShippedFingerprint.objects.update_or_create(key=self.key, defaults={"fingerprint": _shipped_fingerprint(shipped)})


def _shipped_fingerprint(values):
    # Empty values are left out, so a field added later (empty everywhere) does not look like an edit.
    return fingerprint({name: value for name, value in values.items() if value not in ("", None, [])})


def _edited_by_person(instance):
    return instance.history.exclude(history_user=None).exists()


def _sync_fields(instance, key, shipped, summary, label, save, edited_by_person=False):
    """Apply `shipped` ({attribute: value}) to an existing row if nobody changed it since it was shipped."""
    current = {name: getattr(instance, name) for name in shipped}
    row = ShippedRow(key, _comparable(current), edited_by_person)
    if _comparable(current) == _comparable(shipped):
        row.remember(_comparable(shipped))
        summary.unchanged += 1
        return False
    if not row.may_change():
        summary.skipped.append((label, "changed in BoneCare since it was shipped; the shipped version was not applied"))
        return False
    for name, value in shipped.items():
        setattr(instance, name, value)
    save(instance)
    row.remember(_comparable(shipped))
    summary.updated.append(label)
    return True


def _create_or_sync(model, lookup, values, summary, key, label, save):
    """Create the row as shipped, or bring an existing one up to date if nobody changed it since it was shipped."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        save(model(**lookup, **values))
        ShippedRow(key, {}).remember(_comparable(values))
        summary.created.append(label)
    else:
        _sync_fields(instance, key, values, summary, label, save)


def _comparable(values):
    return {name: (value.isoformat() if isinstance(value, datetime.date) else value) for name, value in values.items()}


def _translated(field_name, per_language):
    return {build_localized_fieldname(field_name, lang): text for lang, text in per_language.items()}


def _load_topics(root, summary):
    path = root / "topics.yaml"
    for entry in _read_yaml(path) or []:
        slug = _require(entry, "slug", path)
        values = {"position": entry.get("position", 0)}
        values.update(_translated("name", _known_languages(entry.get("name") or {}, path)))
        values.update(_translated("description", _known_languages(entry.get("description") or {}, path)))
        _create_or_sync(Topic, {"slug": slug}, values, summary, f"topic:{slug}", f"topic {slug}", services.save_topic)


def _load_sources(root, summary):
    path = root / "sources.yaml"
    for entry in _read_yaml(path) or []:
        file_name = _require(entry, "file_name", path)
        _require(entry, "title", path)
        values = {name: _as_value(entry.get(name)) for name in SOURCE_FIELDS if name in entry}
        _create_or_sync(
            SourceDocument, {"file_name": file_name}, values, summary, f"source:{file_name}", f"source {file_name}",
            services.save_source,
        )


def _glossary_texts(entry, path):
    """{language: {field: text}} of one glossary file."""
    texts = {}
    for lang in language_codes():
        given = entry.get(lang) or {}
        values = {}
        for name in GLOSSARY_FIELDS:
            value = given.get(name, "")
            if isinstance(value, list):
                value = "\n".join(str(item) for item in value)
            values[name] = (value or "").strip()
        texts[lang] = values
    for name in ("term", "definition", "plain_definition"):
        if not texts[SOURCE_LANGUAGE][name]:
            raise ShippedContentError(f"{path}: the English '{name}' is missing")
    return texts


def _load_glossary(root, summary, codes):
    for path in sorted((root / "glossary").glob("*.yaml")):
        entry = _read_yaml(path)
        slug = _require(entry, "slug", path)
        if slug != path.stem:
            raise ShippedContentError(f"{path}: slug '{slug}' does not match the file name")
        texts = _glossary_texts(entry, path)
        term = GlossaryTerm.objects.filter(slug=slug).first()
        created = term is None
        term = term or GlossaryTerm(slug=slug)
        changed = _apply_languages(term, f"glossary:{slug}", texts, summary, f"glossary {slug}", created)
        shipped_codes = codes.get(("glossary", slug), [])
        if created:
            term.codes = shipped_codes
            ShippedRow(f"codes:glossary:{slug}", {}).remember({"codes": shipped_codes})
        else:
            changed = _apply_codes(term, f"codes:glossary:{slug}", shipped_codes, summary, f"glossary {slug} codes") or changed
        if created or changed:
            services.save_glossary_term(term, reason=SHIPPED_BY)
        if created:
            services.publish_glossary_term(term, comment=SHIPPED_BY)
            summary.created.append(f"glossary {slug}")


def _apply_languages(instance, key, texts, summary, label, created):
    """Set each language's shipped text on the instance where the loader may; return whether any changed."""
    edited_by_person = not created and _edited_by_person(instance)
    changed = False
    for lang, values in texts.items():
        row = ShippedRow(f"{key}:{lang}", {} if created else language_texts(instance, lang), edited_by_person)
        if not created and language_texts(instance, lang) == values:
            row.remember(values)
            summary.unchanged += 1
            continue
        if not created and not row.may_change():
            summary.skipped.append(
                (f"{label} [{lang}]", "changed in BoneCare since it was shipped; the shipped text was not applied")
            )
            continue
        for name, value in values.items():
            setattr(instance, build_localized_fieldname(name, lang), value)
        row.remember(values)
        if not created:
            summary.updated.append(f"{label} [{lang}]")
        changed = True
    return changed


def _read_codes(root):
    """{(kind, slug): [codes]} from codes.yaml; every code well formed and citing where it was verified."""
    path = root / "codes.yaml"
    if not path.exists():
        return {}
    data = _read_yaml(path) or {}
    wanted = {}
    for entry in data.get("codes") or []:
        code, problems = clinical_codes.normalise_codes([entry])
        if problems:
            raise ShippedContentError(f"{path}: {entry.get('code')!r}: {' '.join(str(p) for p in problems)}")
        if not all(source.get("url") and source.get("says") for source in entry.get("verified") or [{}]):
            raise ShippedContentError(f"{path}: {entry['code']}: 'verified' must cite a url and what it says")
        for kind, key in (("article", "articles"), ("glossary", "glossary")):
            for slug in entry.get(key) or []:
                wanted.setdefault((kind, slug), []).extend(code)
    return wanted


def _apply_codes(instance, key, shipped, summary, label):
    """Set the shipped codes on an existing row unless someone changed its codes in BoneCare; return whether set.

    Codes arrived after the text: a row with no codes and no record of shipped
    ones is ours to fill; one whose codes a person set is left as it is.
    """
    current = list(instance.codes or [])
    row = ShippedRow(key, {"codes": current}, edited_by_person=bool(current))
    if current == shipped:
        row.remember({"codes": shipped})
        summary.unchanged += 1
        return False
    if not row.may_change():
        summary.skipped.append((label, "changed in BoneCare since it was shipped; the shipped codes were not applied"))
        return False
    instance.codes = shipped
    row.remember({"codes": shipped})
    summary.updated.append(label)
    return True


def _load_article(article_dir, summary, codes):
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
    status = meta.get("status", ArticleStatus.DRAFT)
    if status not in (ArticleStatus.DRAFT, ArticleStatus.PUBLISHED):
        raise ShippedContentError(f"{meta_path}: status must be draft or published, not {status!r}")
    texts = _read_variant_files(article_dir)
    details = {"topic_id": topic.pk, "last_reviewed": meta.get("last_reviewed"), "next_review": meta.get("next_review")}

    article = Article.objects.filter(slug=slug).first()
    shipped_codes = codes.get(("article", slug), [])
    if article is None:
        _create_article(slug, details, sources, texts, status, summary, shipped_codes)
        return
    if _apply_codes(article, f"codes:article:{slug}", shipped_codes, summary, f"article {slug} codes"):
        # A pending change on a published article: a Medical reviewer publishes it with "Publish the pending changes".
        services.save_article_details(article, reason=SHIPPED_BY)
    shipped_details = {**details, "sources": sorted(source.file_name for source in sources)}
    current = {name: getattr(article, name) for name in ARTICLE_DETAIL_FIELDS}
    current["sources"] = sorted(article.sources.values_list("file_name", flat=True))
    row = ShippedRow(f"article:{slug}", _comparable(current), _edited_by_person(article))
    if _comparable(current) == _comparable(shipped_details):
        row.remember(_comparable(shipped_details))
    elif row.may_change():
        for name, value in details.items():
            setattr(article, name, value)
        services.save_article_details(article, reason=SHIPPED_BY, sources=sources)
        row.remember(_comparable(shipped_details))
        summary.updated.append(f"article {slug}")
    else:
        summary.skipped.append((f"article {slug}", "topic, sources or review dates changed in BoneCare; left as they are"))
    for level, per_language in texts.items():
        variant = ArticleVariant.objects.filter(article=article, level=level).first()
        created = variant is None
        variant = variant or ArticleVariant(article=article, level=level)
        language_values = {lang: _variant_texts(per_language, lang) for lang in language_codes()}
        if _apply_languages(variant, f"variant:{slug}:{level}", language_values, summary, f"{slug} {level}", created):
            services.save_variant(variant, changed_by=SHIPPED_BY, reason=SHIPPED_BY)
        if created:
            # Review records are set only with the text they describe; existing ones are never touched.
            _record_reviews(variant, per_language)
            summary.created.append(f"{slug} {level}")


def _variant_texts(per_language, lang):
    given = per_language.get(lang, {})
    return {name: given.get(name, "") for name in VARIANT_FIELDS}


def _record_reviews(variant, per_language):
    for lang, given in per_language.items():
        services.record_initial_review(
            variant, lang, status=given["review_status"], translated_by=given["translated_by"] or "",
            reviewed_by=given["reviewed_by"] or "", reviewed_on=given["reviewed_on"],
        )


def _create_article(slug, details, sources, texts, status, summary, codes):
    article = services.create_article(
        slug, Topic.objects.get(pk=details["topic_id"]), sources=sources,
        last_reviewed=details["last_reviewed"], next_review=details["next_review"], codes=codes,
    )
    ShippedRow(f"codes:article:{slug}", {}).remember({"codes": codes})
    for level, per_language in texts.items():
        variant = ArticleVariant(article=article, level=level)
        for lang in language_codes():
            for name, value in _variant_texts(per_language, lang).items():
                setattr(variant, build_localized_fieldname(name, lang), value)
            ShippedRow(f"variant:{slug}:{level}:{lang}", {}).remember(_variant_texts(per_language, lang))
        services.save_variant(variant, changed_by=SHIPPED_BY, reason=SHIPPED_BY)
        _record_reviews(variant, per_language)
    shipped_details = {**details, "sources": sorted(source.file_name for source in sources)}
    ShippedRow(f"article:{slug}", {}).remember(_comparable(shipped_details))
    if status == ArticleStatus.PUBLISHED:
        try:
            services.publish_article(article, comment=SHIPPED_BY)
        except services.EditRefused as refused:
            raise ShippedContentError(f"{slug}: cannot be published: {' '.join(refused.reasons)}") from refused
    summary.created.append(f"article {slug}")


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


def _as_value(value):
    if value is None:
        return None
    if isinstance(value, datetime.date):
        return value
    return str(value)


def _known_languages(per_language, path):
    unknown = set(per_language) - set(language_codes())
    if unknown:
        raise ShippedContentError(f"{path}: unknown language(s) {sorted(unknown)}; known: {language_codes()}")
    return per_language


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
        if SOURCE_LANGUAGE not in per_language:
            raise ShippedContentError(f"{article_dir}: the {level} level has no English text ({level}.en.md)")
    return texts


