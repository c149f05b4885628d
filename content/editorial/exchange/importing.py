"""Translations back from an exchange file: validate everything, then write in one transaction.

Per unit, against what BoneCare holds now:
- target equal to the current text: unchanged, nothing written;
- current text no longer matches the checksum taken at export: a conflict.
  Someone changed the translation in the admin after the export; their text is
  kept, the unit is reported, and the other units still apply;
- otherwise applied, and marked unreviewed (translation_status resets the
  review when the text changes).
If the English changed since the export, the unit is still applied (the
translator's work is not thrown away) but reported, and its review record
keeps the older English as the translation's basis, so the field shows as
outdated until someone brings it up to date.

Any error (unreadable file, wrong language, unknown unit, missing checksums,
empty or structurally broken target) rejects the whole file: nothing is
written.
"""

from collections import Counter
from dataclasses import dataclass, field

from django.db import DatabaseError, transaction
from modeltranslation.utils import build_localized_fieldname

from content.editorial import services
from content.editorial.disk_full import DISK_FULL_MESSAGE, is_disk_full
from content.editorial.exchange.checks import target_problems
from content.editorial.exchange.formats import read_exchange_file, unit_count_problem
from content.editorial.upload_limit import size_problem
from content.text.plain_text import normalise_line_breaks
from content.editorial.exchange.units import UnreadableFile, language_from_tag, split_unit_id, target_languages, text_checksum
from content.models import ArticleVariant, ReadingLevel
from content.translation import VARIANT_FIELDS, raw_translation
from content.languages import SOURCE_LANGUAGE


@dataclass(frozen=True)
class Problem:
    unit_id: str
    message: str

    def __str__(self):
        return f"{self.unit_id}: {self.message}" if self.unit_id else self.message


@dataclass
class ImportReport:
    file_name: str
    dry_run: bool = False
    language: str = ""
    applied: list = field(default_factory=list)
    english_changed: list = field(default_factory=list)
    unchanged: list = field(default_factory=list)
    conflicts: list = field(default_factory=list)
    errors: list = field(default_factory=list)

    @property
    def ok(self):
        return not self.errors

    def summary(self):
        applied = f"{len(self.applied)} {'to apply' if self.dry_run else 'applied'}"
        if self.english_changed:
            applied += f" ({len(self.english_changed)} with English changed since export)"
        conflicts = f"{len(self.conflicts)} conflict{'s' if len(self.conflicts) != 1 else ''}"
        errors = f"{len(self.errors)} error{'s' if len(self.errors) != 1 else ''}"
        return f"{applied}, {len(self.unchanged)} unchanged, {conflicts}, {errors}"


@dataclass(frozen=True)
class Change:
    variant: ArticleVariant
    field_name: str
    unit: object
    english_changed: bool


def import_translations(data, file_name, language=None, allowed_languages=None, dry_run=False, user=None):
    """Read `data` (bytes of an XLIFF or PO exchange file) and apply it; returns an ImportReport.

    `language`, if given, is the language the caller expects the file to be in;
    `allowed_languages`, if given, the languages the importing person may edit;
    `user`, the person importing, whom the history records.
    With errors, or with `dry_run`, nothing is written.
    """
    report = ImportReport(file_name=file_name, dry_run=dry_run)
    too_large = size_problem(len(data), file_name) or unit_count_problem(data, file_name)
    if too_large:
        report.errors.append(Problem("", too_large))
        return report
    try:
        exchange_file = read_exchange_file(data)
    except UnreadableFile as error:
        report.errors.append(Problem("", str(error)))
        return report
    report.language, language_error = file_language(exchange_file.language_tag, language, allowed_languages)
    if language_error:
        report.errors.append(Problem("", language_error))
        return report
    if not exchange_file.units:
        report.errors.append(Problem("", "the file has no translation units"))
        return report

    try:
        with transaction.atomic():
            variants = locked_variants(exchange_file.units)
            changes, conflicts, unchanged, errors = plan(exchange_file.units, variants, report.language)
            if errors:
                report.errors = errors
                return report
            report.conflicts, report.unchanged = conflicts, unchanged
            report.applied = [change.unit.unit_id for change in changes]
            report.english_changed = [change.unit.unit_id for change in changes if change.english_changed]
            if not dry_run:
                apply(changes, report.language, file_name, user)
    except (DatabaseError, OSError) as error:
        # The transaction is rolled back by now; a full disk is told plainly, anything else is a bug.
        if not is_disk_full(error):
            raise
        report.applied, report.english_changed, report.conflicts, report.unchanged = [], [], [], []
        report.errors = [Problem("", DISK_FULL_MESSAGE)]
    return report


def file_language(tag, expected, allowed):
    """(language code, error message or None) for the file's declared target language."""
    if not tag:
        return "", "the file does not say its target language (XLIFF target-language, PO Language header)"
    language = language_from_tag(tag)
    targets = target_languages()
    if expected and expected not in targets:
        return "", f"{expected!r} is not a language BoneCare translates into ({', '.join(targets)})"
    if language is None:
        return "", f"the file's target language {tag!r} is not one BoneCare translates into ({', '.join(targets)})"
    if language == SOURCE_LANGUAGE:
        return language, "the file's target language is English, the source language; nothing to import"
    if expected and expected != language:
        return language, f"the file's target language is {language}, not {expected}"
    if allowed is not None and language not in allowed:
        return language, f"you may not edit the {language} translations"
    return language, None


def locked_variants(units):
    """{(slug, level): variant} for the variants the units name, locked until the transaction ends."""
    slugs = {parts[0] for parts in map(split_unit_id, (unit.unit_id for unit in units)) if parts}
    variants = ArticleVariant.objects.select_for_update().select_related("article").filter(article__slug__in=slugs)
    return {(variant.article.slug, variant.level): variant for variant in variants}


def plan(units, variants, language):
    """(changes, conflicts, unchanged unit ids, errors) for the file's units against the database now."""
    changes, conflicts, unchanged, errors = [], [], [], []
    occurrences = Counter(unit.unit_id for unit in units)
    reported_duplicates = set()
    known_slugs = {slug for slug, _level in variants}
    for unit in units:
        if occurrences[unit.unit_id] > 1:
            if unit.unit_id not in reported_duplicates:
                reported_duplicates.add(unit.unit_id)
                errors.append(Problem(unit.unit_id, f"appears {occurrences[unit.unit_id]} times in the file"))
            continue
        problems = unit_problems(unit, variants, known_slugs, language)
        if problems:
            errors.extend(Problem(unit.unit_id, message) for message in problems)
            continue
        slug, level, field_name = split_unit_id(unit.unit_id)
        variant = variants[(slug, level)]
        current = raw_translation(variant, field_name, language)
        # Text saved before line breaks were normalised may still hold "\r\n"; the file's target never does.
        if unit.target == normalise_line_breaks(current) or not unit.target:
            # An empty target got this far only because its English is empty too: nothing to write.
            unchanged.append(unit.unit_id)
        elif text_checksum(current) != unit.target_checksum:
            conflicts.append(
                Problem(
                    unit.unit_id,
                    "the translation was changed in BoneCare after this file was exported; it was kept and this "
                    "unit was not imported (export again to see the current text)",
                )
            )
        else:
            english = raw_translation(variant, field_name, SOURCE_LANGUAGE)
            changes.append(Change(variant, field_name, unit, text_checksum(english) != unit.english_checksum))
    return changes, conflicts, unchanged, errors


def unit_problems(unit, variants, known_slugs, language):
    parts = split_unit_id(unit.unit_id)
    if parts is None:
        return ["not a BoneCare unit id (expected <article slug>/<level>/<field>, e.g. bone-cancer/standard/title)"]
    slug, level, field_name = parts
    if field_name not in VARIANT_FIELDS:
        return [f"unknown field {field_name!r} (expected {', '.join(VARIANT_FIELDS)})"]
    if slug not in known_slugs:
        return [f"no article has the slug {slug!r}"]
    if (slug, level) not in variants:
        if level not in ReadingLevel.values:
            return [f"unknown reading level {level!r} (expected {', '.join(ReadingLevel.values)})"]
        return [f"article {slug!r} has no {level} variant"]
    if not unit.english_checksum or not unit.target_checksum:
        return ["the export checksums are missing (they travel in the unit's notes or #. comments); "
                "translate a file freshly exported from BoneCare"]
    if unit.unresolved_entities:
        names = ", ".join(f"&{name};" for name in unit.unresolved_entities)
        return [f"the target holds the XML entity reference {names}, which BoneCare does not resolve; write the "
                "text itself (only &amp; &lt; &gt; &quot; &apos; and character references such as &#233; are read)"]
    if unit.unfinished:
        return ["is marked unfinished in the file (fuzzy, or needs translation); finish it or clear the mark"]
    return target_problems(field_name, unit.source, unit.target, language)


def apply(changes, language, file_name, user=None):
    by_variant = {}
    for change in changes:
        by_variant.setdefault(change.variant.pk, []).append(change)
    for variant_changes in by_variant.values():
        variant = variant_changes[0].variant
        for change in variant_changes:
            setattr(variant, build_localized_fieldname(change.field_name, language), change.unit.target)
        # The write path records this as the translator and resets the review to unreviewed; the history names
        # the person who imported (the file name is only what the uploader chose to call it).
        label = f"translation import ({file_name})"[:200]
        changed_by = f"{user.get_username()}, {label}"[:200] if user else label
        services.save_variant(variant, user=user, changed_by=changed_by, reason=label)
        older_english = {change.field_name: change.unit.source for change in variant_changes if change.english_changed}
        if older_english:
            services.mark_translated_from(variant, language, older_english)
