"""Chinese words in a query, by jieba's segmenter, so that a compound matches its parts.

The index holds Han characters and bigrams (content/text/search_terms.py);
a query such as 放疗副作用 ("radiotherapy side effects") is cut by jieba
into 放疗 / 副作用, and each word is then looked for by its own bigrams,
instead of requiring the bigram 疗副 that spans the two words.

jieba builds its prefix dictionary (about 1 s) on first use. `warm_up()`
does it once per process at start-up (content/apps.py), never in a request;
bench/suggest_latency.py reports how long it took.
"""

import logging
import time

import jieba

_tokenizer = jieba.Tokenizer()
jieba.setLogLevel(logging.WARNING)
start_up_seconds = None


def warm_up():
    """Build the dictionary now (idempotent); returns the seconds it took the first time."""
    global start_up_seconds
    if start_up_seconds is None:
        began = time.perf_counter()
        _tokenizer.initialize()
        start_up_seconds = time.perf_counter() - began
    return start_up_seconds


def words(run):
    """The words of a run of Han characters, in order (HMM off: only dictionary words and single characters)."""
    warm_up()
    return [word for word in _tokenizer.cut(run, HMM=False) if word.strip()]
