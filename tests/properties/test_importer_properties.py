"""The document importer, on documents shaped like the seeds: it never crashes and never drops text.

Every document either imports, or is refused with an ImportFailure whose
message says why; when it imports, every word of the source is in the
article (title, body) or in the import report (a defect's excerpt, such as
removed page furniture) or in the review metadata taken from it.
"""

import re
import tempfile
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from content.editorial.importer.clean import normalise_text
from content.editorial.importer.document import build_document
from content.editorial.importer.errors import ImportFailure
from content.editorial.importer.service import import_document
from content.models import Article, SourceDocument

WORD = re.compile(r"\w+")
# "1.Tumor resection ..." numbers a section that becomes a heading: the number is structure, not a word.
SECTION_NUMBER = re.compile(r"(?<![\w.])\d{1,2}\.(?= *[A-Z])")

plain_word = st.from_regex(r"[a-z]{1,10}", fullmatch=True)
other_word = st.sampled_from([
    "metástasis", "ostéosarcome", "骨癌", "العظام", "Dr.", "5%", "1–2", "e.g.", "“limb", "salvage”", "(MRI)",
    "PSA<4", "x-ray", "don't", "3.5cm", "—", "and", "the", "of", "to", "MSK", "Monday",
])
word = st.one_of(plain_word, plain_word.map(str.capitalize), other_word)
sentence = st.builds(
    lambda words, end: " ".join(words) + end, st.lists(word, min_size=1, max_size=14), st.sampled_from([".", "?", "!", ":", ""])
)
paragraph = st.lists(sentence, min_size=1, max_size=4).map(" ".join)
heading = st.lists(plain_word, min_size=1, max_size=6).map(lambda words: " ".join(words).capitalize())
bullet = st.sampled_from(["- ", "• ", "* ", "●"])
list_block = st.lists(st.tuples(bullet, paragraph).map("".join), min_size=1, max_size=5).map("\n".join)
numbered = st.builds(lambda n, title, text: f"{n}.{title} {text}", st.integers(1, 9), heading, paragraph)
block = st.one_of(paragraph, heading, list_block, numbered)
gap = st.sampled_from(["\n", "\n\n", "\n\n\n", "\n  \n", "\r\n\r\n"])


@st.composite
def documents(draw):
    title = draw(heading)
    parts = [title, draw(gap)]
    for piece in draw(st.lists(block, min_size=0, max_size=8)):
        parts += [piece, draw(gap)]
    if draw(st.booleans()):
        # A saved page whose sections ran together into one long line (seed 002).
        parts.append("  ".join(draw(st.lists(st.one_of(paragraph, numbered), min_size=8, max_size=14))))
    return "".join(parts)


def words_of(text):
    return set(WORD.findall(normalise_text(text)))


def source_words(text):
    return words_of(SECTION_NUMBER.sub(" ", normalise_text(text)))


def accounted_words(document):
    texts = [document.title, document.body, *(defect.excerpt for defect in document.defects)]
    texts += [str(value) for value in document.metadata.stated().values()]
    return words_of(" ".join(texts))


SEED_LIKE = (
    "Can I save my leg?\n\n  Bone tumors are tumors.    The main treatment is surgery.  "
    "1.Tumor resection and limb preservation surgery After patients are diagnosed, they rest.\n"
)


@given(documents())
@example(SEED_LIKE)
@example("Title only\n")
@example("A\n1.A metástasis?\n")
@example("Bone cancer\n\nBone cancer\n\nCall us at 800-525-2225\n\nText size\n\nIt starts in a bone.\n")
@example("Bone cancer\n\nThe options are:\n\n\nSurgery is one of  and  more.\n")
@example("Bone cancer\n\n" + "A sentence about bones. " * 60 + "\n")
def test_the_importer_never_crashes_and_never_drops_a_word(text):
    try:
        document = build_document(text, "doc.txt")
    except ImportFailure as failure:
        assert str(failure).startswith("doc.txt: ")
        return
    missing = source_words(text) - accounted_words(document)
    assert not missing, f"words dropped from the article and the report: {sorted(missing)}"
    assert document.title and document.blocks


@pytest.mark.django_db
@settings(max_examples=15)
@given(documents())
@example(SEED_LIKE)
def test_an_import_either_writes_the_article_or_says_why(text):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "page.txt"
        path.write_text(text, encoding="utf-8")
        try:
            outcome = import_document(path)
        except ImportFailure as failure:
            assert "page.txt" in str(failure)
            assert not SourceDocument.objects.filter(file_name="page.txt", raw_text=text).exists()
            return
    article = Article.objects.get(slug=outcome.article_slug)
    variant = article.variants.get(level="standard")
    assert words_of(variant.body_en + " " + variant.title_en) <= words_of(text)
