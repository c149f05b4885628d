"""Reading aloud runs in the task queue (`manage.py db_worker --queue-name audio`), never in a request.

A publication only enqueues a task (one INSERT, after its commit); the worker
reads the article's renditions aloud, then says so (content.signals), and the
read side renders again, within the same task, the stored answers that
describe that audio (content/delivery/answers/refresh.py), so no reader waits
for either.
"""

from django_tasks import task

from content.audio import making, speech
from content.models import Article, ArticleStatus, AudioReading, ChangeLogEntry, GlossaryTerm, TermPronunciation
from content.signals import pronunciations_made, readings_made


AUDIO_QUEUE = "audio"


# Its own queue and worker: a reading takes seconds, and the webhook worker must never wait behind one.
@task(queue_name=AUDIO_QUEUE)
def read_article_aloud(article_id):
    if not speech.available():
        return "synthesizer_missing"
    made = making.make_article_readings(article_id)
    if made:
        readings_made.send(sender=AudioReading, article_id=article_id)
    return made


def enqueue_after(sender, entry_id, **kwargs):
    """After a committed publication, queue the article's reading or the glossary term's pronunciations (withdrawals read nothing)."""
    entry = ChangeLogEntry.objects.filter(pk=entry_id).values("kind", "action", "article_id", "glossary_term_id").first()
    if entry is not None and entry["kind"] == ChangeLogEntry.Kind.GLOSSARY_TERM and entry["glossary_term_id"]:
        if entry["action"] != ChangeLogEntry.Action.WITHDRAWN:
            pronounce_term.enqueue(entry["glossary_term_id"])
        return
    if entry is None or entry["kind"] != ChangeLogEntry.Kind.ARTICLE or entry["article_id"] is None:
        return
    if entry["action"] == ChangeLogEntry.Action.WITHDRAWN:
        return
    read_article_aloud.enqueue(entry["article_id"])


def enqueue_all():
    """Queue a reading of every published article (what is current is left as it is); returns how many were queued."""
    ids = list(Article.objects.filter(status=ArticleStatus.PUBLISHED).values_list("id", flat=True))
    for article_id in ids:
        read_article_aloud.enqueue(article_id)
    for term_id in GlossaryTerm.objects.exclude(live={}).values_list("id", flat=True):
        pronounce_term.enqueue(term_id)
    return len(ids)


@task(queue_name=AUDIO_QUEUE)
def pronounce_term(term_id):
    """Say a published glossary term's headwords, then say so: the stored answers that show them are rendered again."""
    from content.audio.pronunciation import make_pronunciations

    if not speech.available():
        return "synthesizer_missing"
    made = make_pronunciations(term_id)
    if made:
        pronunciations_made.send(sender=TermPronunciation, term_id=term_id)
    return made
