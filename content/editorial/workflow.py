"""How an article moves from draft to the public and back, and who may move it.

    draft ──submit──▶ in review ──publish──▶ published ──archive──▶ archived
      ▲                  │                    │    ▲                  │
      └──return to draft─┘                    └────┘                  │
      ▲                          publish pending changes              │
      └───────────────────────reopen as draft─────────────────────────┘

An edit to a published article waits as a pending change: the article stays
published with its old text until a Medical reviewer publishes the changes.
Every move is recorded (who, when, comment); the writes themselves are
content/editorial/services.py's.
"""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from content.editorial import fact_check, services
from content.editorial.services import EditRefused as TransitionRefused
from content.models import ArticleStatus


@dataclass(frozen=True)
class Transition:
    source: str
    target: str
    permission: str
    label: str


TRANSITIONS = [
    Transition(ArticleStatus.DRAFT, ArticleStatus.IN_REVIEW, "content.submit_article", _("Submit for medical review")),
    Transition(ArticleStatus.IN_REVIEW, ArticleStatus.PUBLISHED, "content.publish_article", _("Approve and publish")),
    Transition(ArticleStatus.IN_REVIEW, ArticleStatus.DRAFT, "content.publish_article", _("Return to draft")),
    Transition(
        ArticleStatus.PUBLISHED, ArticleStatus.PUBLISHED, "content.publish_article", _("Publish the pending changes")
    ),
    Transition(ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED, "content.archive_article", _("Archive (withdraw)")),
    Transition(ArticleStatus.ARCHIVED, ArticleStatus.DRAFT, "content.submit_article", _("Reopen as draft")),
]

__all__ = ["TRANSITIONS", "Transition", "TransitionRefused", "available_transitions", "change_status"]


def transitions_from(status):
    return [transition for transition in TRANSITIONS if transition.source == status]


def has_pending_changes(article):
    return article.has_pending_codes or any(variant.has_pending_changes for variant in article.variants.all())


def available_transitions(user, article):
    return [
        t for t in transitions_from(article.status)
        if user.has_perm(t.permission) and (t.source != t.target or has_pending_changes(article))
    ]


def change_status(article, target, user, comment="", fact_check_reason=""):
    """Move the article to `target` (publishing through the publication gate); raise TransitionRefused if not allowed.

    Publishing checks every translation and plain text against its English
    (content/editorial/fact_check.py): differences no one has explained hold
    publication back until the reviewer gives `fact_check_reason`, which the
    change log keeps.
    """
    transition = next((t for t in transitions_from(article.status) if t.target == target), None)
    if transition is None:
        raise TransitionRefused(
            [_("An article that is %(source)s cannot become %(target)s.")
             % {"source": ArticleStatus(article.status).label, "target": _label(target)}]
        )
    if not user.has_perm(transition.permission):
        raise TransitionRefused([_("You are not allowed to do this: %(action)s.") % {"action": transition.label}])
    if target == ArticleStatus.PUBLISHED:
        note = fact_check.override_note(fact_check.check_article(article), fact_check_reason)
        return services.publish_article(article, user=user, comment=comment, fact_check_note=note)
    return services.move_article(article, target, user=user, comment=comment)


def _label(status):
    try:
        return ArticleStatus(status).label
    except ValueError:
        return status
