"""The write path: the only code that changes articles, variants, reviews, glossary terms and status.

The admin, the workflow buttons, revert, the translation exchange, the
document importer and the shipped-content loader all call these functions;
models only hold data. Three rules hold everywhere:

- Draft over live. Saving text changes the working copy only. Patients see
  the renditions and the glossary's `live` text, which change only when a
  Medical reviewer publishes (or the shipped-content loader creates an
  article that ships as published).
- Every publication, republication and withdrawal writes one ChangeLogEntry
  in the same transaction, and so does every other change patients see of a
  published article (a cited source, its topic, a glossary definition it
  shows, a review status): sync and webhooks read only the change log.
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

from content.editorial import reasons
from content.editorial.derivation import (
    live_glossary_entries,
    relink_rendition,
    render_renditions,
    review_snapshot,
    working_readability,
)
from content.editorial.fingerprints import language_fingerprint, language_texts, text_fingerprint
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


LIVE_FIELDS = {"live", "live_fingerprint", "live_history_id", "published_at", "status"}


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
    """Save an article's topic, sources, review dates or import fingerprint (never its status)."""
    with transaction.atomic():
        shown_before = _shown_details(article.pk) if article.pk else None
        _save_with_history(article, user, reason)
        if sources is not None:
            article.sources.set(sources)
        if shown_before is not None and _shown_details(article.pk) != shown_before:
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
            rendition.review = review_snapshot(review)
            rendition.save(update_fields=["review"])
            _mark_public_change(
                [variant.article_id], user=user, comment=reasons.recorded(gettext_lazy("Review status changed")),
                scope={variant.article_id: {(review.language, variant.level)}},
            )
    return review


# ---------------------------------------------------------------- status and publication


def _latest_history_id(instance):
    return instance.history.order_by("-history_id").values_list("history_id", flat=True).first()


def _mark_public_change(article_ids, *, user=None, comment="", scope=None):
    """Articles whose public answer changed without a publication of their own; returns their new change-log entries.

    `updated_at` moves for each, and each published one gets a "republished"
    change-log entry naming the languages and levels it serves (or only the
    (language, level) pairs `scope` gives per article id), so sync and
    webhooks hear of it like of any publication.
    """
    article_ids = set(article_ids)
    if not article_ids:
        return []
    Article.objects.filter(pk__in=article_ids).update(updated_at=timezone.now())
    served = {}
    renditions = Rendition.objects.filter(
        variant__article_id__in=article_ids, variant__article__status=ArticleStatus.PUBLISHED
    ).values_list("variant__article_id", "variant__article__slug", "language", "variant__level")
    for article_id, slug, language, level in renditions:
        if scope is None or (language, level) in scope.get(article_id, ()):
            languages, levels = served.setdefault((slug, article_id), (set(), set()))
            languages.add(language)
            levels.add(level)
    return [
        _log(ChangeLogEntry.Action.REPUBLISHED, ChangeLogEntry.Kind.ARTICLE, slug, user=user, comment=str(comment),
             article_id=article_id, languages=languages, levels=levels)
        for (slug, article_id), (languages, levels) in sorted(served.items())
    ]


# Any fixed number: the key of the PostgreSQL advisory lock that orders change-log entries (see _log).
CHANGE_LOG_LOCK = 0x426F6E65


def _log(action, kind, slug, *, user, comment="", languages=(), levels=(), revisions=None, **target):
    if connection.vendor == "postgresql":
        # PostgreSQL hands out ids at insert, not at commit: without this, a change with id 10 could commit after
        # one with id 11 that a sync client has already read past, and that client would never see change 10.
        # Held until commit, the lock makes ids commit in order (SQLite has a single writer anyway).
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHANGE_LOG_LOCK])
    entry = ChangeLogEntry.objects.create(
        action=action, kind=kind, slug=slug, languages=sorted(languages), levels=sorted(levels),
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
    if republish and not any(variant.has_pending_changes for variant in variants):
        raise EditRefused([_("There are no unpublished changes to publish.")])
    now = timezone.now()
    with transaction.atomic():
        glossary = live_glossary_entries()
        languages, revisions = set(), {}
        for variant in variants:
            reviews = {review.language: review for review in variant.reviews.all()}
            languages.update(render_renditions(variant, glossary, reviews))
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
        article.published_at = article.published_at or now
        article.updated_at = now
        _save_publication(article, user, comment.strip() or gettext_lazy("Published"))
        index_article(article)
        return _log(
            ChangeLogEntry.Action.REPUBLISHED if republish else ChangeLogEntry.Action.PUBLISHED,
            ChangeLogEntry.Kind.ARTICLE, article.slug, user=user, comment=logged_comment, article=article,
            languages=languages, levels=[variant.level for variant in variants], revisions=revisions,
        )


def move_article(article, target, *, user=None, comment=""):
    """A workflow move that publishes nothing (submit, return to draft, archive, reopen); archiving withdraws."""
    withdraw = article.status == ArticleStatus.PUBLISHED
    with transaction.atomic():
        change = StatusChange.objects.create(
            article=article, from_status=article.status, to_status=target, changed_by=user, comment=comment.strip()
        )
        article.status = target
        if withdraw:
            article.updated_at = timezone.now()
        _save_publication(article, user, comment.strip() or ArticleStatus(target).label)
        if withdraw:
            index_article(article)
            renditions = Rendition.objects.filter(variant__article=article)
            _log(
                ChangeLogEntry.Action.WITHDRAWN, ChangeLogEntry.Kind.ARTICLE, article.slug, user=user,
                comment=comment.strip(), article=article,
                languages=set(renditions.values_list("language", flat=True)),
                levels=set(renditions.values_list("variant__level", flat=True)),
            )
    return change


# ---------------------------------------------------------------- glossary


def save_glossary_term(term, *, user=None, reason=""):
    """Save a term's working copy; patients keep seeing its published text until it is published."""
    _refuse_locked(term, user)
    _refuse_unsafe_text(term)
    fingerprint = text_fingerprint(term)
    if term.pk is not None and fingerprint == term.text_fingerprint:
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
        live = {}
        for language in language_codes():
            texts = language_texts(term, language)
            if any(texts.values()):
                live[language] = texts
        term.live = live
        term.live_fingerprint = term.text_fingerprint
        term.live_history_id = _latest_history_id(term)
        term.published_at = timezone.now()
        GlossaryTerm.objects.filter(pk=term.pk).update(
            live=term.live, live_fingerprint=term.live_fingerprint, live_history_id=term.live_history_id,
            published_at=term.published_at,
        )
        relinked = _relink_published_articles(term.slug)
        index_term(term)
        entry = _log(
            ChangeLogEntry.Action.REPUBLISHED if republish else ChangeLogEntry.Action.PUBLISHED,
            ChangeLogEntry.Kind.GLOSSARY_TERM, term.slug, user=user, comment=comment.strip(), glossary_term=term,
            languages=live, revisions={"term": term.live_history_id},
        )
        # The articles show the term's definition: they changed too, in the languages and levels relinked.
        _mark_public_change(
            relinked, user=user, comment=reasons.recorded(gettext_lazy("Glossary term “%(term)s” published"), term=term.slug), scope=relinked
        )
        return entry


def _relink_published_articles(slug):
    """Relink every published rendition; returns {article id: {(language, level)}} whose links or definitions changed."""
    glossary = live_glossary_entries()
    changed = {}
    renditions = Rendition.objects.filter(variant__article__status=ArticleStatus.PUBLISHED).select_related("variant")
    for rendition in renditions:
        linked_before = any(span.get("term") == slug for span in rendition.glossary)
        if relink_rendition(rendition, glossary) or linked_before:
            changed.setdefault(rendition.variant.article_id, set()).add((rendition.language, rendition.variant.level))
    return changed


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
        topic.save()
        if changed:
            _mark_public_change(
                Article.objects.filter(topic=topic).values_list("pk", flat=True), user=user,
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
