"""Audio (issue 18 point 2): synthesis time and size per minute of audio per language, and what it adds to publication.

    .venv/bin/python bench/audio_bench.py
    .venv/bin/python bench/audio_bench.py --rounds 10     # more publications timed

Builds a throwaway SQLite database with the shipped content (5 articles, every
language and level), then:

1. times publications of an edited summary with the audio task's enqueue
   connected and disconnected, alternating (the synthesis itself runs in the
   queue, so the difference is what audio adds to a publication);
2. reads every published article aloud as the worker does (the task's own code,
   in this process) and prints, per language, the audio made, its size and the
   time synthesis and MP3 encoding took, per minute of audio.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time

from servers import ROOT, bench_env, prepare


def publication_overhead(rounds):
    from content.audio.tasks import enqueue_after
    from content.editorial import services
    from content.models import Article
    from content.signals import change_logged

    article = Article.objects.order_by("slug").first()
    timings = {True: [], False: []}
    for number in range(rounds * 2):
        with_audio = number % 2 == 0
        if not with_audio:
            change_logged.disconnect(dispatch_uid="content-audio")
        variant = Article.objects.get(pk=article.pk).variants.get(level="standard")
        variant.summary_en = f"{variant.summary_en.split(' [bench')[0]} [bench {number}]"
        services.save_variant(variant)
        began = time.perf_counter()
        services.publish_article(Article.objects.get(pk=article.pk))  # on_commit receivers run at its commit
        timings[with_audio].append(time.perf_counter() - began)
        if not with_audio:
            change_logged.connect(enqueue_after, dispatch_uid="content-audio")
    with_audio, without = statistics.median(timings[True]), statistics.median(timings[False])
    print(f"publication of {article.slug} (median of {rounds}): {without * 1000:.0f} ms without audio, "
          f"{with_audio * 1000:.0f} ms with its task queued: +{(with_audio - without) * 1000:.1f} ms (limit 500 ms)")


def synthesis():
    from django.db.models import Count, Sum

    from content.audio import making
    from content.models import Article, ArticleStatus, AudioReading

    began = time.perf_counter()
    for article_id in Article.objects.filter(status=ArticleStatus.PUBLISHED).values_list("id", flat=True):
        making.make_article_readings(article_id)
    elapsed = time.perf_counter() - began
    rows = (
        AudioReading.objects.values("rendition__language")
        .annotate(n=Count("id"), ms=Sum("duration_ms"), size=Sum("size"), work=Sum("synthesis_ms"))
        .order_by("rendition__language")
    )
    print(f"\nread aloud: every published text in {elapsed:.1f} s (one worker, one core)")
    print(f"{'language':9} {'texts':>5} {'audio min':>9} {'kB':>7} {'kB/min':>7} {'synth s':>8} {'s/min':>6} {'x real time':>11}")
    for row in rows:
        minutes = row["ms"] / 60000
        print(f"{row['rendition__language']:9} {row['n']:5} {minutes:9.1f} {row['size'] / 1000:7.0f} "
              f"{row['size'] / 1000 / minutes:7.0f} {row['work'] / 1000:8.1f} {row['work'] / 1000 / minutes:6.2f} "
              f"{row['ms'] / max(row['work'], 1):11.0f}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        env = bench_env(f"{tmp}/audio.sqlite3")
        prepare(env, collectstatic=False)
        os.environ.update(env)
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from content.audio import speech

        if not speech.available():
            sys.exit("eSpeak NG is not installed: sudo apt-get install -y espeak-ng")
        publication_overhead(args.rounds)
        synthesis()


if __name__ == "__main__":
    main()
