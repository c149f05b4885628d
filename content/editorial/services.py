"""The write path: the only code that changes articles, variants, reviews, glossary terms and status.

The admin, the workflow buttons, revert, the translation exchange, the
document importer and the shipped-content loader all call these functions;
models only hold data. Four rules hold everywhere:

- Draft over live. Saving text changes the working copy only. Patients see
  the renditions and the glossary's `live` text, which change only when a
  Medical reviewer publishes (or the shipped-content loader creates an
  article that ships as published).
- Every publication, republication and withdrawal writes one ChangeLogEntry
  in the same transaction, and so does every other change patients see of a
  published article (a cited source, its topic, a glossary definition it
  shows, a review status): sync and webhooks read only the change log.
  Each entry names the (language, level) pairs whose served answer changed,
  found by comparing what is served before and after (served_state.py).
- `Article.updated_at` moves exactly when something patients see of the
  article changes, so ETags and caches follow it.
- The search index follows publication: it is derived again in the same
  transaction as each publication and withdrawal.
"""

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from content import clinical_codes
from content.delivery.served_state import all_pairs, article_states, changed_articles, changed_pairs, term_state
from content.editorial import reasons
from content.rendering import (
    live_glossary_entries,
    relink_rendition,
    render_renditions,
    review_snapshot,
    working_readability,
)
from content.fingerprints import language_fingerprint, language_texts, text_fingerprint
from content.editorial.permissions import editable_languages
from content.editorial.publishing import publication_problems
from content.editorial.search_index import index_article, index_term
from content.editorial.text_checks import describe, instance_problems, normalise_instance
from content.editorial.translation_status import outdated_fields, refresh_translation_reviews
from content.languages import SOURCE_LANGUAGE, language_codes
from content.signals import change_logged, change_recorded
from content.models import (
    Article,
    ArticleStatus,
    ArticleVariant,
    ChangeLogEntry,
    GlossaryTerm,
    Rendition,
    ReviewStatus,
    StatusChange,
    Topic,
    TranslationReview,
)
from content.translation import raw_translation, translated_fields
from modeltranslation.utils import build_localized_fieldname


class EditRefused(Exception):
    """The change is not allowed; `reasons` are sentences for the person who asked."""

    def __init__(self, reasons):
        self.reasons = [str(reason) for reason in reasons]
        super().__init__(" ".join(self.reasons))


# ---------------------------------------------------------------- working copy


def locked_changes(instance, user):
    """[(field, language)] the user changed on `instance` in languages they may not edit."""
    if user is None or instance.pk is None:
        return []
    stored = type(instance).objects.get(pk=instance.pk)
    allowed = editable_languages(user)
    return [
        (name, language)
        for language in language_codes()
        if language not in allowed
        for name in translated_fields(type(instance))
        if raw_translation(instance, name, language) != raw_translation(stored, name, language)
    ]


def _refuse_locked(instance, user):
    locked = locked_changes(instance, user)
    if locked:
        raise EditRefused(
            [_("You may not edit these languages: %(fields)s.")
             % {"fields": ", ".join(f"{name} [{language}]" for name, language in locked)}]
        )


def _refuse_unsafe_text(instance):
    """Plain-text fields hold no HTML and figures only safe addresses, whoever writes them (text_checks.py)."""
    normalise_instance(instance)
    problems = instance_problems(instance)
    if problems:
        raise EditRefused(
            f"{describe(type(instance), column)}: {message}" for column, messages in problems.items() for message in messages
        )


LIVE_FIELDS = {"live", "live_fingerprint", "live_history_id", "published_at", "status", "live_codes"}


def _check_codes(instance, user):
    """Normalise the working copy's clinical codes; refuse malformed ones, and a change by anyone but a Medical reviewer.

    Codes are medical claims about what the text is about: only a Medical
    reviewer changes them (the shipped-content loader, user None, ships them).
    Returns whether they changed.
    """
    codes, problems = clinical_codes.normalise_codes(instance.codes)
    if problems:
        raise EditRefused(problems)
    instance.codes = codes
    stored = type(instance).objects.filter(pk=instance.pk).values_list("codes", flat=True).first() if instance.pk else []
    changed = codes != (stored or [])
    if changed and user is not None and not user.has_perm("content.edit_clinical_codes"):
        raise EditRefused([_("Only a Medical reviewer can change clinical codes.")])
    return changed


def _save_with_history(instance, user, reason):
    """Save an edit; what publication sets (live text, status) is never written from a possibly stale instance."""
    instance._history_user = user
    instance._change_reason = reasons.recorded(reason) or None
    if instance.pk is None:
        instance.save()
        return
    instance.save(update_fields=[
        field.name for field in instance._meta.concrete_fields if not field.primary_key and field.name not in LIVE_FIELDS
    ])


def _save_publication(instance, user, reason):
    """Save what publication or a workflow move sets, with the rest of the row."""
    instance._history_user = user
    instance._change_reason = reasons.recorded(reason) or None
    instance.save()


def save_variant(variant, *, user=None, changed_by="", reason=""):
    """Save the text set on `variant` as its working copy; return whether anything changed.

    `user` (when a person saves) may only change the languages they may edit;
    `changed_by` names who wrote the text for the review records (defaults to
    the user). A published article keeps serving its published text: this
    change waits for publication.
    """
    _refuse_locked(variant, user)
    _refuse_unsafe_text(variant)
    fingerprint = text_fingerprint(variant)
    if variant.pk is not None and fingerprint == variant.text_fingerprint:
        return False
    variant.text_fingerprint = fingerprint
    variant.readability = working_readability(variant)
    with transaction.atomic():
        _save_with_history(variant, user, reason)
        refresh_translation_reviews(variant, changed_by=changed_by or (user.get_username() if user else ""))
    return True


def mark_translated_from(variant, language, older_english):
    """Record that these fields were translated from older English, so they show as outdated."""
    review = TranslationReview.objects.get(variant=variant, language=language)
    english_now = {name: raw_translation(variant, name, SOURCE_LANGUAGE) for name in translated_fields(ArticleVariant)}
    review.english_basis = {**review.english_basis, **older_english}
    review.outdated_fields = outdated_fields(review, english_now, review.text_fingerprints)
    review.save()


def create_article(slug, topic, *, sources=(), imported_from=None, user=None, **details):
    """A new draft article (no text yet: add variants with save_variant)."""
    article = Article(slug=slug, topic=topic, status=ArticleStatus.DRAFT, imported_from=imported_from, **details)
    _check_codes(article, user)
    _save_with_history(article, user, gettext_lazy("Created"))
    if sources:
        article.sources.set(sources)
    return article


def _shown_details(article_pk):
    """What patients see of an article's details: its topic, its review dates and the sources it cites."""
    details = Article.objects.filter(pk=article_pk).values("topic_id", "last_reviewed", "next_review").first()
    cited = Article.sources.through.objects.filter(article_id=article_pk)
    sources = sorted(cited.values_list("sourcedocument_id", flat=True))
    return details, sources


def save_article_details(article, *, user=None, reason="", sources=None):
    """Save an article's topic, sources, review dates, clinical codes or import fingerprint (never its status).

    Codes change the working copy only: a published article keeps its published
    codes until a Medical reviewer publishes the change.
    """
    _check_codes(article, user)
    with transaction.atomic():
        shown_before = _shown_details(article.pk) if article.pk else None
        _save_with_history(article, user, reason)
        if sources is not None:
            article.sources.set(sources)
        if shown_before is not None and _shown_details(article.pk) != shown_before:
            # A topic, a source or a review date is shown in every language and level.
            _mark_public_change([article.pk], user=user, comment=reasons.recorded(reason))
            article.refresh_from_db(fields=["updated_at"])


def record_initial_review(variant, language, *, status, translated_by="", reviewed_by="", reviewed_on=None):
    """Set the review record of a text just created by the shipped-content loader, as its file states."""
    review, _created = TranslationReview.objects.get_or_create(variant=variant, language=language)
    review.status = status
    review.translated_by = translated_by or review.translated_by
    review.reviewed_by = reviewed_by or ""
    review.reviewed_on = reviewed_on
    review.save()
    return review


def record_review(review, *, status, reviewed_by="", reviewed_on=None, user=None):
    """A clinician's review of one language of a variant (Medical reviewers only).

    When the reviewed text is the one patients see, the published review
    status changes with it: that is the point of recording it.
    """
    if user is not None and not user.has_perm("content.review_translation"):
        raise EditRefused([_("Only a Medical reviewer can record a clinician's review.")])
    if status == ReviewStatus.CLINICIAN_REVIEWED:
        reviewed_by = reviewed_by or (user.get_full_name() or user.get_username() if user else "")
        reviewed_on = reviewed_on or timezone.localdate()
    else:
        reviewed_by, reviewed_on = "", None
    with transaction.atomic():
        review.status, review.reviewed_by, review.reviewed_on = status, reviewed_by, reviewed_on
        review._history_user = user
        review.save()
        variant = review.variant
        rendition = Rendition.objects.filter(variant=variant, language=review.language).first()
        if (
            rendition is not None
            and variant.article.status == ArticleStatus.PUBLISHED
            and rendition.text_fingerprint == language_fingerprint(variant, review.language)
            and rendition.review != review_snapshot(review)
        ):
            before = article_states([variant.article_id])
            rendition.review = review_snapshot(review)
            rendition.save(update_fields=["review"])
            _mark_public_change(
                [variant.article_id], before, user=user, comment=reasons.recorded(gettext_lazy("Review status changed"))
            )
    return review


# ---------------------------------------------------------------- status and publication


def _latest_history_id(instance):
    return instance.history.order_by("-history_id").values_list("history_id", flat=True).first()


def _mark_public_change(article_ids, before=None, *, user=None, comment=""):
    """Articles whose public answer changed without a publication of their own; returns their new change-log entries.

    `before` is article_states() taken before the change: each published
    article whose served answer then differs gets a "republished" change-log
    entry naming the (language, level) pairs that differ, and `updated_at`
    moves for it. Without `before`, the change shows in everything the
    article serves (a cited source, a review date). Unpublished articles
    only have `updated_at` moved (their preview).
    """
    article_ids = set(article_ids)
    if not article_ids:
        return []
    after = article_states(article_ids)
    if before is None:
        changed = {article_id: set(pairs) for article_id, pairs in after.items()}
    else:
        changed = changed_articles({key: before[key] for key in article_ids & before.keys()}, after)
    unpublished = article_ids - after.keys() - (before or {}).keys()
    Article.objects.filter(pk__in=changed.keys() | unpublished).update(updated_at=timezone.now())
    slugs = dict(Article.objects.filter(pk__in=changed).values_list("pk", "slug"))
    return [
        _log(ChangeLogEntry.Action.REPUBLISHED, ChangeLogEntry.Kind.ARTICLE, slugs[article_id], user=user,
             comment=str(comment), article_id=article_id, scope=changed[article_id])
        for article_id in sorted(changed, key=lambda article_id: (slugs[article_id], article_id))
    ]


# Any fixed number: the key of the PostgreSQL advisory lock that orders change-log entries (see _log).
CHANGE_LOG_LOCK = 0x426F6E65


def _log(action, kind, slug, *, user, comment="", scope=(), revisions=None, **target):
    """Write the change-log entry; `scope` is the (language, level) pairs whose served answer changed."""
    if connection.vendor == "postgresql":
        # PostgreSQL hands out ids at insert, not at commit: without this, a change with id 10 could commit after
        # one with id 11 that a sync client has already read past, and that client would never see change 10.
        # Held until commit, the lock makes ids commit in order (SQLite has a single writer anyway).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGE_LOG_LOCK])
    scope = sorted({(language, level) for language, level in scope})
    entry = ChangeLogEntry.objects.create(
        action=action, kind=kind, slug=slug, scope=[list(pair) for pair in scope],
        languages=sorted({language for language, _level in scope}), levels=sorted({level for _language, level in scope}),
        revisions=revisions or {}, by=user, comment=comment, **target,
    )
    change_recorded.send(sender=ChangeLogEntry, entry=entry)
    transaction.on_commit(lambda: change_logged.send(sender=ChangeLogEntry, entry_id=entry.id))
    return entry


def publish_article(article, *, user=None, comment="", fact_check_note=""):
    """Make the article's working copy what patients see: first publication or republication of pending changes.

    Raises EditRefused with the reasons while the text is not fit to publish,
    or when a published article has nothing pending. `fact_check_note` (the
    reviewer's reason for publishing over fact-check differences) goes on a
    line of its own into the workflow history and the change log, not into the
    revision's short change reason.
    """
    problems = publication_problems(article)
    if problems:
        raise EditRefused([_("This article cannot be published yet:"), *problems])
    variants = list(article.variants.all())
    republish = article.status == ArticleStatus.PUBLISHED
    if republish and not article.has_pending_codes and not any(variant.has_pending_changes for variant in variants):
        raise EditRefused([_("There are no unpublished changes to publish.")])
    now = timezone.now()
    with transaction.atomic():
        before = article_states([article.pk]).get(article.pk, {})
        glossary = live_glossary_entries()
        revisions = {}
        for variant in variants:
            reviews = {review.language: review for review in variant.reviews.all()}
            render_renditions(variant, glossary, reviews)
            variant.live_fingerprint = variant.text_fingerprint
            variant.live_history_id = _latest_history_id(variant)
            # Publication changes no text: no new revision.
            ArticleVariant.objects.filter(pk=variant.pk).update(
                live_fingerprint=variant.live_fingerprint, live_history_id=variant.live_history_id
            )
            revisions[variant.level] = variant.live_history_id
        logged_comment = "\n".join(part for part in (comment.strip(), fact_check_note) if part)
        StatusChange.objects.create(
            article=article, from_status=article.status, to_status=ArticleStatus.PUBLISHED,
            changed_by=user, comment=logged_comment,
        )
        article.status = ArticleStatus.PUBLISHED
        # The codes stored, not the instance's: an unsaved edit on a stale instance is not what was reviewed.
        article.live_codes = Article.objects.filter(pk=article.pk).values_list("codes", flat=True).first() or []
        article.codes = article.live_codes
        article.published_at = article.published_at or now
        article.updated_at = now
        _save_publication(article, user, comment.strip() or gettext_lazy("Published"))
        index_article(article)
        # Nothing was served before a first publication: every reader (each language, falling back to English) gains it.
        after = (
            article_states([article.pk]).get(article.pk, {}) if before else dict.fromkeys(all_pairs(), "published")
        )
        return _log(
            ChangeLogEntry.Action.REPUBLISHED if republish else ChangeLogEntry.Action.PUBLISHED,
            ChangeLogEntry.Kind.ARTICLE, article.slug, user=user, comment=logged_comment, article=article,
            scope=changed_pairs(before, after), revisions=revisions,
        )


def move_article(article, target, *, user=None, comment=""):
    """A workflow move that publishes nothing (submit, return to draft, archive, reopen); archiving withdraws."""
    withdraw = article.status == ArticleStatus.PUBLISHED
    with transaction.atomic():
        served = article_states([article.pk]).get(article.pk, {}) if withdraw else {}
        change = StatusChange.objects.create(
            article=article, from_status=article.status, to_status=target, changed_by=user, comment=comment.strip()
        )
        article.status = target
        if withdraw:
            article.updated_at = timezone.now()
        _save_publication(article, user, comment.strip() or ArticleStatus(target).label)
        if withdraw:
            index_article(article)
            # Gone from everything it was served as.
            _log(
                ChangeLogEntry.Action.WITHDRAWN, ChangeLogEntry.Kind.ARTICLE, article.slug, user=user,
                comment=comment.strip(), article=article, scope=served.keys(),
            )
    return change


# ---------------------------------------------------------------- glossary


def save_glossary_term(term, *, user=None, reason=""):
    """Save a term's working copy; patients keep seeing its published text until it is published."""
    _refuse_locked(term, user)
    _refuse_unsafe_text(term)
    codes_changed = _check_codes(term, user)
    fingerprint = text_fingerprint(term)
    if term.pk is not None and fingerprint == term.text_fingerprint and not codes_changed:
        return False
    term.text_fingerprint = fingerprint
    _save_with_history(term, user, reason)
    return True


def publish_glossary_term(term, *, user=None, comment=""):
    """Make the term's working copy public, relink published articles, and log it."""
    if user is not None and not user.has_perm("content.publish_glossaryterm"):
        raise EditRefused([_("Only a Medical reviewer can publish glossary changes.")])
    if not term.has_pending_changes:
        raise EditRefused([_("There are no unpublished changes to publish.")])
    missing = [name for name in ("term", "definition", "plain_definition") if not raw_translation(term, name, SOURCE_LANGUAGE).strip()]
    if missing:
        raise EditRefused([_("The English %(fields)s is missing.") % {"fields": ", ".join(missing)}])
    republish = bool(term.live)
    with transaction.atomic():
        live_before, codes_before = GlossaryTerm.objects.filter(pk=term.pk).values_list("live", "live_codes").first()
        live = {}
        for language in language_codes():
            texts = language_texts(term, language)
            if any(texts.values()):
                live[language] = texts
        # What the articles the publication will touch serve now, to compare after.
        articles_before = article_states(_articles_publishing_would_relink(term, live))
        term.live = live
        term.live_codes = term.codes
        term.live_fingerprint = term.text_fingerprint
        term.live_history_id = _latest_history_id(term)
        term.published_at = timezone.now()
        GlossaryTerm.objects.filter(pk=term.pk).update(
            live=term.live, live_codes=term.live_codes, live_fingerprint=term.live_fingerprint,
            live_history_id=term.live_history_id, published_at=term.published_at,
        )
        relinked = _relink_published_articles(term.slug)
        index_term(term)
        entry = _log(
            ChangeLogEntry.Action.REPUBLISHED if republish else ChangeLogEntry.Action.PUBLISHED,
            ChangeLogEntry.Kind.GLOSSARY_TERM, term.slug, user=user, comment=comment.strip(), glossary_term=term,
            scope=changed_pairs(
                term_state(term.slug, live_before or {}, codes_before or ()), term_state(term.slug, live, term.live_codes)
            ),
            revisions={"term": term.live_history_id},
        )
        # The articles show the term's definition: those linking it changed too, where what they serve differs.
        _mark_public_change(
            relinked, articles_before, user=user,
            comment=reasons.recorded(gettext_lazy("Glossary term “%(term)s” published"), term=term.slug),
        )
        return entry


def _articles_publishing_would_relink(term, live):
    """The ids _relink_published_articles would return once `live` is published, found in a savepoint rolled back."""
    with transaction.atomic():
        GlossaryTerm.objects.filter(pk=term.pk).update(live=live)
        touched = _relink_published_articles(term.slug)
        transaction.set_rollback(True)
    return touched


def _relink_published_articles(slug):
    """Relink every published rendition; returns the ids of articles whose links changed or that linked the term."""
    glossary = live_glossary_entries()
    touched = set()
    renditions = Rendition.objects.filter(variant__article__status=ArticleStatus.PUBLISHED).select_related("variant")
    for rendition in renditions:
        linked_before = any(span.get("term") == slug for span in rendition.glossary)
        if relink_rendition(rendition, glossary) or linked_before:
            touched.add(rendition.variant.article_id)
    return touched


# ---------------------------------------------------------------- revert


def revert_to(instance, record, *, user):
    """Copy the chosen revision's text back into the working copy, in the languages `user` may edit.

    Returns [(field, language)] that changed. The result is saved like any
    edit: a pending change on a published article, never a live one.
    """
    allowed = editable_languages(user)
    changed = []
    for language in language_codes():
        if language not in allowed:
            continue
        for name in translated_fields(type(instance)):
            column = build_localized_fieldname(name, language)
            old = getattr(record, column) or ""
            if old != (getattr(instance, column) or ""):
                setattr(instance, column, old)
                changed.append((name, language))
    if changed:
        reason = _("Reverted to the revision of %(when)s") % {"when": record.history_date.strftime("%Y-%m-%d %H:%M:%S")}
        if isinstance(instance, GlossaryTerm):
            save_glossary_term(instance, user=user, reason=reason)
        else:
            save_variant(instance, user=user, reason=reason)
    return changed


# ---------------------------------------------------------------- things shown with articles


def _shown_fields_changed(instance, names):
    """Whether saving `instance` changes any of these columns from what is stored (a new row changes nothing shown)."""
    if instance.pk is None:
        return False
    stored = type(instance).objects.filter(pk=instance.pk).values(*names).first()
    if stored is None:
        return False

    def comparable(value):
        return "" if value is None else str(value)

    return any(comparable(getattr(instance, name)) != comparable(stored[name]) for name in names)


def save_topic(topic, *, user=None):
    """Topics are shown with every article in them."""
    _refuse_unsafe_text(topic)
    shown = ["slug"] + [
        build_localized_fieldname(name, language) for name in translated_fields(Topic) for language in language_codes()
    ]
    with transaction.atomic():
        changed = _shown_fields_changed(topic, shown)
        in_topic = set(Article.objects.filter(topic=topic).values_list("pk", flat=True)) if changed else set()
        # A topic's name is translated: only the languages whose name (or its English fallback) changed see it.
        before = article_states(in_topic)
        topic.save()
        if changed:
            _mark_public_change(
                in_topic, before, user=user,
                comment=reasons.recorded(gettext_lazy("Topic “%(topic)s” changed"), topic=topic.slug),
            )


# What an article shows of each source it cites (content/delivery/serving.py, serve_source).
SHOWN_SOURCE_FIELDS = ("publisher", "title", "url", "reviewed_by", "updated_on", "last_medical_review", "last_revised")


def save_source(source, *, user=None):
    """Sources are cited by the articles that take facts from them."""
    _refuse_unsafe_text(source)
    with transaction.atomic():
        changed = _shown_fields_changed(source, SHOWN_SOURCE_FIELDS)
        source.save()
        if changed:
            citing = Article.objects.filter(Q(sources=source) | Q(imported_from=source)).values_list("pk", flat=True)
            _mark_public_change(
                citing, user=user, comment=reasons.recorded(gettext_lazy("Cited source “%(source)s” changed"), source=source.file_name)
            )
