"""How an article moves from draft to the public and back, and who may move it.

    draft ──submit──▶ in review ──publish──▶ published ──archive──▶ archived
      ▲                  │                                            │
      └──return to draft─┘◀───────────────reopen as draft─────────────┘

Every move is recorded (who, when, comment). Publishing is refused, with the
reasons, while the article is not fit to publish (content/publishing.py).
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from content.models import ArticleStatus, StatusChange
from content.editorial.publishing import publication_problems


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
    Transition(ArticleStatus.PUBLISHED, ArticleStatus.ARCHIVED, "content.archive_article", _("Archive")),
    Transition(ArticleStatus.ARCHIVED, ArticleStatus.DRAFT, "content.submit_article", _("Reopen as draft")),
]


class TransitionRefused(Exception):
    """The move is not allowed; `reasons` are sentences for the person who asked."""

    def __init__(self, reasons):
        self.reasons = [str(reason) for reason in reasons]
        super().__init__(" ".join(self.reasons))


def transitions_from(status):
    return [transition for transition in TRANSITIONS if transition.source == status]


def available_transitions(user, article):
    return [t for t in transitions_from(article.status) if user.has_perm(t.permission)]


def change_status(article, target, user, comment=""):
    """Move the article to `target` status and record it, or raise TransitionRefused."""
    transition = next((t for t in transitions_from(article.status) if t.target == target), None)
    if transition is None:
        raise TransitionRefused(
            [_("An article that is %(source)s cannot become %(target)s.")
             % {"source": ArticleStatus(article.status).label, "target": _label(target)}]
        )
    if not user.has_perm(transition.permission):
        raise TransitionRefused([_("You are not allowed to do this: %(action)s.") % {"action": transition.label}])
    if target == ArticleStatus.PUBLISHED:
        problems = publication_problems(article)
        if problems:
            raise TransitionRefused([_("This article cannot be published yet:"), *problems])
    with transaction.atomic():
        change = StatusChange.objects.create(
            article=article, from_status=article.status, to_status=target, changed_by=user, comment=comment.strip()
        )
        article.status = target
        article._change_reason = comment.strip() or transition.label
        article.save()
    return change


def _label(status):
    try:
        return ArticleStatus(status).label
    except ValueError:
        return status
