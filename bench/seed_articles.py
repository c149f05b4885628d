"""Grow a benchmark database to N published articles through the write path, and time a publication.

Run by http_bench.py in a subprocess, with DJANGO_SETTINGS_MODULE and
DATABASE_URL pointing at a throwaway database that already holds the shipped
content (servers.prepare):

    python bench/seed_articles.py seed --total 50
        copies the shipped articles as `bench-<n>-<slug>` (texts in every
        language, review records, topic, sources) with
        services.create_article / save_variant / record_initial_review /
        publish_article until N articles are published, then edits one
        English text (services.save_variant) and times its republication
        (services.publish_article).

    python bench/seed_articles.py publish SLUG --tag TAG
        edits that article's English standard body and republishes it.

    python bench/seed_articles.py read SLUG
        the same start-up and reads as `publish`, but writes nothing: the
        control for "the first request after a publication" (see http_bench.py).

    python bench/seed_articles.py refreshed [--timeout 30]
        waits until the worker (`manage.py db_worker`, as `make run` starts it)
        has run every queued refresh of stored answers, and tells how long the
        last one took from its enqueueing (the publication's commit) to its end.

Each mode prints one JSON object as its last line of output.
"""

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MAX_TOTAL = 1000  # keeps the copy loop bounded whatever is asked


def setup_django():
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def copy_article(source, slug):
    """A published copy of `source` under a new slug, made through the write path."""
    from content.editorial import services
    from content.models import ArticleVariant
    from content.translation import VARIANT_FIELDS
    from content.languages import language_codes
    from modeltranslation.utils import build_localized_fieldname

    article = services.create_article(
        slug, source.topic, sources=list(source.sources.all()),
        last_reviewed=source.last_reviewed, next_review=source.next_review,
    )
    for original in source.variants.order_by("level"):
        variant = ArticleVariant(article=article, level=original.level)
        for language in language_codes():
            for name in VARIANT_FIELDS:
                field = build_localized_fieldname(name, language)
                setattr(variant, field, getattr(original, field))
        services.save_variant(variant, changed_by="benchmark", reason="benchmark copy")
        for review in original.reviews.all():
            services.record_initial_review(
                variant, review.language, status=review.status, translated_by=review.translated_by,
                reviewed_by=review.reviewed_by, reviewed_on=review.reviewed_on,
            )
    services.publish_article(article, comment="benchmark copy")
    return article


def edit_and_publish(slug, tag):
    """Append a paragraph to the English standard body, save it, republish; return the timings in seconds."""
    from content.editorial import services
    from content.models import Article, ArticleStatus, ReadingLevel

    article = Article.objects.get(slug=slug, status=ArticleStatus.PUBLISHED)
    variant = article.variants.get(level=ReadingLevel.STANDARD)
    variant.body_en = f"{variant.body_en.rstrip()}\n\nThis paragraph was added by the benchmark ({tag})."
    started = time.perf_counter()
    if not services.save_variant(variant, changed_by="benchmark", reason=f"benchmark edit {tag}"):
        raise SystemExit(f"{slug}: the benchmark edit changed nothing")
    saved = time.perf_counter()
    services.publish_article(article, comment=f"benchmark edit {tag}")
    published = time.perf_counter()
    return {"slug": slug, "save_variant_s": saved - started, "publish_article_s": published - saved}


def read_only(slug):
    """Load what `edit_and_publish` loads, and write nothing."""
    from content.models import Article, ArticleStatus, ReadingLevel

    started = time.perf_counter()
    article = Article.objects.get(slug=slug, status=ArticleStatus.PUBLISHED)
    variant = article.variants.get(level=ReadingLevel.STANDARD)
    return {"slug": slug, "body_characters": len(variant.body_en), "read_s": time.perf_counter() - started}


REFRESH_TASK = "content.delivery.answers.refresh.refresh_stored_answers"


def wait_for_refresh(timeout):
    """Wait until no refresh of stored answers is queued or running; the newest one's seconds from commit to end."""
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    refreshes = DBTaskResult.objects.filter(task_path=REFRESH_TASK)
    pending = refreshes.filter(status__in=[TaskResultStatus.READY, TaskResultStatus.RUNNING])
    started = time.perf_counter()
    while pending.exists():
        if time.perf_counter() - started > timeout:
            raise SystemExit(f"a refresh of stored answers was still queued after {timeout} s: is db_worker running?")
        time.sleep(0.02)
    newest = refreshes.order_by("-enqueued_at").values("status", "enqueued_at", "started_at", "finished_at").first()
    if newest is None or newest["finished_at"] is None:
        raise SystemExit("no finished refresh of stored answers is on record")
    return {
        "status": str(newest["status"]),
        "refreshed_after_commit_s": (newest["finished_at"] - newest["enqueued_at"]).total_seconds(),
        "refresh_s": (newest["finished_at"] - newest["started_at"]).total_seconds(),
        "waited_s": time.perf_counter() - started,
    }


def seed(total):
    from content.models import Article, ArticleStatus

    published = Article.objects.filter(status=ArticleStatus.PUBLISHED)
    originals = list(published.exclude(slug__startswith="bench-").order_by("slug"))
    if not originals:
        raise SystemExit("no published article to copy: load the shipped content first")
    started = time.perf_counter()
    created = []
    copy_round = 0
    while published.count() < total and len(created) < MAX_TOTAL:
        copy_round += 1
        for original in originals:
            if published.count() >= total:
                break
            slug = f"bench-{copy_round}-{original.slug}"
            if not Article.objects.filter(slug=slug).exists():
                created.append(copy_article(original, slug).slug)
    seeded = time.perf_counter() - started
    count = published.count()
    if count < total:
        raise SystemExit(f"only {count} published articles after copying")
    timing = edit_and_publish(created[0] if created else originals[0].slug, "timed publication")
    return {"published_articles": count, "created": len(created), "seed_s": seeded, "timed": timing}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    seed_parser = commands.add_parser("seed")
    seed_parser.add_argument("--total", type=int, default=50)
    publish_parser = commands.add_parser("publish")
    publish_parser.add_argument("slug")
    publish_parser.add_argument("--tag", default="edit")
    read_parser = commands.add_parser("read")
    read_parser.add_argument("slug")
    refreshed_parser = commands.add_parser("refreshed")
    refreshed_parser.add_argument("--timeout", type=float, default=30.0)
    args = parser.parse_args()
    if not 1 <= getattr(args, "total", 1) <= MAX_TOTAL:
        parser.error(f"--total must be between 1 and {MAX_TOTAL}")
    setup_django()
    if args.command == "seed":
        result = seed(args.total)
    elif args.command == "read":
        result = read_only(args.slug)
    elif args.command == "refreshed":
        result = wait_for_refresh(args.timeout)
    else:
        result = edit_and_publish(args.slug, args.tag)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
