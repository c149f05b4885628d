"""The fact check at publication: does each translation, and each plain text, state the English facts?

Every text is compared with the English it comes from: a translation with the
English text of its own reading level, the English plain text with the
English standard text (so a plain translation is checked, through its
English, against the standard English). Compared are numbers, named
organisations, the glossary terms linked, and whether a sentence is negated
(content/text/facts.py says which patterns are reliable, per language).

Alignment: when both texts have the same blocks (headings, paragraphs, list
items), each block is compared with its counterpart, and negation sentence by
sentence where both blocks have as many sentences. When they do not (a plain
rewrite of the standard text), the body is compared as a whole for numbers,
organisations and terms, and negation is not compared: without aligned
sentences it says nothing.

A mismatch is shown to the Medical reviewer with both sentences side by side.
Differences reviewed once and found deliberate are listed, with the reason,
in content/shipped/fact_check_known.yaml; they are shown as explained and do
not hold publication back. Publishing over an unexplained one needs a reason
(content/editorial/workflow.py), which the change log keeps.
"""

from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

import yaml
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from content.editorial import reasons

from content.languages import SOURCE_LANGUAGE, language_codes
from content.models import ReadingLevel
from content.text.blocks import block_texts, parse_body
from content.text.facts import negated, numbers, organisations, sentences
from content.text.glossary_matching import find_glossary_spans
from content.translation import raw_translation

KNOWN_DIFFERENCES_FILE = Path(__file__).resolve().parent.parent / "shipped" / "fact_check_known.yaml"

NUMBER, ORGANISATION, TERM, NEGATION = "number", "organisation", "term", "negation"


@dataclass(frozen=True)
class Text:
    """One language of one reading level: what is compared."""

    language: str
    level: str
    title: str = ""
    summary: str = ""
    body: str = ""


@dataclass(frozen=True)
class Mismatch:
    """One fact the English states and the text does not (`in_english`), or the reverse."""

    article: str
    language: str
    level: str
    kind: str
    fact: str
    in_english: bool
    english: str  # the English sentence (or unit) holding the fact, or its counterpart
    translation: str
    english_level: str = ReadingLevel.STANDARD
    reason: str = ""  # from the reviewed list of known differences: explained when set

    @property
    def explained(self):
        return bool(self.reason)

    @property
    def key(self):
        return (self.article, self.language, self.level, self.kind, self.fact, "missing" if self.in_english else "extra")

    @property
    def description(self):
        """What differs, in the reader's language."""
        names = {
            NUMBER: _("number"), ORGANISATION: _("organisation"), TERM: _("glossary term"), NEGATION: _("negation"),
        }
        if self.kind == NEGATION:
            return _("The English is negated, this text is not.")
        if self.in_english:
            return _("The English has the %(kind)s “%(fact)s”; this text does not.") % {
                "kind": names[self.kind], "fact": self.fact,
            }
        return _("This text has the %(kind)s “%(fact)s”; the English does not.") % {
            "kind": names[self.kind], "fact": self.fact,
        }


@dataclass(frozen=True)
class _Unit:
    """A stretch compared as a whole: the title, the summary, a block or list item, or the whole body."""

    text: str
    terms: frozenset = frozenset()  # glossary slugs linked in it
    surfaces: tuple = ()  # (slug, the words linked), to find the sentence again


def _units(text, glossary, *, whole_body, automata=None):
    """The text's units in order: title, summary, then each block and list item (or the body as one)."""
    blocks = [_paragraph(text.title), _paragraph(text.summary), *parse_body(text.body)]
    # One scan per text, with automata shared between texts: building them is the slow part.
    spans = find_glossary_spans(blocks, text.language, glossary, automata)
    linked = {}
    for span in spans:
        linked.setdefault((span["block"], span["item"]), []).append((span["term"], span["text"]))
    units = []
    body = []
    for index, item, unit_text in block_texts(blocks):
        surfaces = tuple(linked.get((index, item), ()))
        unit = _Unit(unit_text, frozenset(slug for slug, _words in surfaces), surfaces)
        (body if whole_body and index >= 2 else units).append(unit)
    if whole_body:
        units.append(_Unit(
            "\n".join(u.text for u in body), frozenset().union(*(u.terms for u in body)),
            tuple(pair for u in body for pair in u.surfaces),
        ))
    return units


def compare(article, english, text, glossary, automata=None):
    """The mismatches of `text` against `english` (both `Text`), unexplained; `glossary` as live_glossary_entries().

    `automata`: a dict to reuse between calls with the same glossary (see find_glossary_spans).
    """
    automata = {} if automata is None else automata
    aligned = _shape(parse_body(english.body)) == _shape(parse_body(text.body))
    english_units = _units(english, glossary, whole_body=not aligned, automata=automata)
    units = _units(text, glossary, whole_body=not aligned, automata=automata)
    found = []

    def add(kind, fact, in_english, english_sentence, sentence):
        found.append(Mismatch(
            article, text.language, text.level, kind, fact, in_english, english_sentence, sentence,
            english_level=english.level,
        ))

    for position, (english_unit, unit) in enumerate(zip(english_units, units)):
        if not english_unit.text.strip() or not unit.text.strip():
            continue
        for kind, extract in _extractors(text.language):
            english_facts = extract(english_unit, SOURCE_LANGUAGE)
            facts = extract(unit, text.language)
            for fact in sorted(english_facts - facts):
                english_sentence = _sentence_with(english_unit, kind, fact, SOURCE_LANGUAGE, text.language)
                add(kind, fact, True, english_sentence,
                    _counterpart(english_unit, english_sentence, SOURCE_LANGUAGE, unit, text.language))
            # A term linked only in the translation is no lost fact: the English may say "remove" where
            # the translation uses the word for "resection", which the glossary links.
            for fact in sorted(facts - english_facts) if kind != TERM else ():
                sentence = _sentence_with(unit, kind, fact, text.language, SOURCE_LANGUAGE)
                add(kind, fact, False, _counterpart(unit, sentence, text.language, english_unit, SOURCE_LANGUAGE), sentence)
        if aligned or position < 2:
            for english_sentence, sentence in _negation_pairs(english_unit.text, unit.text):
                # Only a lost negation: an added one is mostly a language's idiom ("n’hésitez pas" for
                # "feel free", "sin control" for "out of control"), not a changed fact.
                if negated(english_sentence, SOURCE_LANGUAGE) and not negated(sentence, text.language):
                    add(NEGATION, "negation", True, english_sentence, sentence)
    return found


def _extractors(language):
    def number_facts(unit, lang):
        # Number words count only where both languages' words are read (see content/text/facts.py).
        return numbers(unit.text, lang, only_words_for=language if lang == SOURCE_LANGUAGE else SOURCE_LANGUAGE)

    return [
        (NUMBER, number_facts),
        (ORGANISATION, lambda unit, lang: organisations(unit.text)),
        (TERM, lambda unit, lang: set(unit.terms)),
    ]


def _sentence_with(unit, kind, fact, language, other):
    """The first sentence of the unit that states `fact`; the whole unit if none does alone."""
    words = [surface for slug, surface in unit.surfaces if slug == fact]
    for sentence in _lines_and_sentences(unit.text):
        if kind == NUMBER and fact in numbers(sentence, language, only_words_for=other):
            return sentence
        if kind == ORGANISATION and fact in organisations(sentence):
            return sentence
        if kind == TERM and words and words[0] in sentence:
            return sentence
    return unit.text


def _negation_pairs(english, text):
    """Sentence pairs where both have as many sentences; else the two units whole."""
    english_sentences, text_sentences = sentences(english), sentences(text)
    if len(english_sentences) == len(text_sentences):
        return list(zip(english_sentences, text_sentences))
    return [(english, text)]


def _shape(blocks):
    return [(index, item, blocks[index]["type"]) for index, item, _text in block_texts(blocks)]


def _paragraph(text):
    return {"type": "paragraph", "text": text}


def _lines_and_sentences(text):
    return [sentence for line in text.split("\n") for sentence in sentences(line)]


def _counterpart(unit, sentence, language, other, other_language):
    """The sentence of the `other` unit that says what `sentence` says.

    The one sharing most facts (terms, numbers, organisations) with it; with
    none shared, the one at the same place (same index, or the same share of
    the way in).
    """
    mine, theirs = _lines_and_sentences(unit.text), _lines_and_sentences(other.text)
    if not theirs:
        return other.text
    wanted = _sentence_facts(sentence, unit, language)
    scores = [len(wanted & _sentence_facts(candidate, other, other_language)) for candidate in theirs]
    if max(scores) > 0:
        return theirs[scores.index(max(scores))]
    if sentence not in mine:
        return other.text if len(theirs) == 1 else theirs[0]
    index = mine.index(sentence)
    if len(mine) == len(theirs):
        return theirs[index]
    return theirs[min(len(theirs) - 1, round(index * len(theirs) / max(1, len(mine))))]


def _sentence_facts(sentence, unit, language):
    """What a sentence states that can be matched across languages: its terms, numbers and organisations."""
    terms = {("term", slug) for slug, words in unit.surfaces if words in sentence}
    return terms | {("number", n) for n in numbers(sentence, language)} | {("org", o) for o in organisations(sentence)}


# --- Known differences: reviewed once, with a reason ---------------------------------------------------


@lru_cache(maxsize=1)
def _known_file(path, modified):
    entries = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or []
    known = {}
    for entry in entries:
        key = (entry["article"], entry["language"], entry["level"], entry["kind"], str(entry["fact"]),
               entry.get("direction", "missing"))
        known[key] = entry["reason"].strip()
    return known


def known_differences(path=KNOWN_DIFFERENCES_FILE):
    """{Mismatch.key: reason} of the reviewed differences that are deliberate."""
    path = Path(path)
    if not path.exists():
        return {}
    return _known_file(str(path), path.stat().st_mtime_ns)


def explained(mismatches, known=None):
    """The mismatches with the reason of each one the known-differences list explains."""
    known = known_differences() if known is None else known
    return [replace(mismatch, reason=known.get(mismatch.key, "")) for mismatch in mismatches]


# --- Articles in the database: their working copy -------------------------------------------------------


def working_text(variant, language):
    return Text(
        language, variant.level,
        *(raw_translation(variant, name, language) for name in ("title", "summary", "body")),
    )


@dataclass(frozen=True)
class TextResult:
    """One text's check: which text, the English it was compared with, what differs."""

    article: str
    language: str
    level: str
    english_level: str
    mismatches: tuple

    @property
    def open(self):
        return open_mismatches(self.mismatches)


def check_texts(article, glossary=None, known=None, languages=None):
    """A TextResult per translation and plain text of the article's working copy.

    `languages` limits the texts checked (the English plain text counts as "en").
    """
    from content.rendering import live_glossary_entries

    glossary = live_glossary_entries() if glossary is None else glossary
    known = known_differences() if known is None else known
    variants = {variant.level: variant for variant in article.variants.all()}
    standard = variants.get(ReadingLevel.STANDARD)
    if standard is None:
        return []
    results = []
    automata = _automata_for(glossary)
    for text, english in checked_pairs(variants, working_text(standard, SOURCE_LANGUAGE)):
        if languages and text.language not in languages:
            continue
        found = explained(compare(article.slug, english, text, glossary, automata), known)
        results.append(TextResult(article.slug, text.language, text.level, english.level, tuple(found)))
    return results


_AUTOMATA = {"glossary": None, "automata": {}}


def _automata_for(glossary):
    """Automata for this glossary, kept while the same glossary (equal entries) is checked, as on the dashboard."""
    if _AUTOMATA["glossary"] != glossary:
        _AUTOMATA["glossary"], _AUTOMATA["automata"] = glossary, {}
    return _AUTOMATA["automata"]


def check_article(article, glossary=None, known=None, languages=None):
    """Every mismatch of the article's working copy (explained ones with their reason), in display order."""
    return [mismatch for result in check_texts(article, glossary, known, languages) for mismatch in result.mismatches]


def checked_pairs(variants, english_standard):
    """(text, the English it is compared with) for every translation and plain text that has a body."""
    pairs = []
    for level in (ReadingLevel.STANDARD, ReadingLevel.PLAIN):
        variant = variants.get(level)
        if variant is None:
            continue
        english = working_text(variant, SOURCE_LANGUAGE)
        if level == ReadingLevel.PLAIN and english.body.strip():
            pairs.append((english, english_standard))
        for language in language_codes():
            if language == SOURCE_LANGUAGE:
                continue
            text = working_text(variant, language)
            if text.body.strip() and english.body.strip():
                pairs.append((text, english))
    return pairs


def open_mismatches(mismatches):
    return [mismatch for mismatch in mismatches if not mismatch.explained]


# --- The publication gate -----------------------------------------------------------------------------

OVERRIDE_REASON = gettext_noop("Published over %(count)s fact-check differences (%(texts)s). Reason: %(why)s")


def override_note(mismatches, reason):
    """What the change log keeps when the article is published over open mismatches; "" when there are none.

    Raises EditRefused while there are open mismatches and no reason.
    """
    from content.editorial.services import EditRefused

    unexplained = open_mismatches(mismatches)
    if not unexplained:
        return ""
    if not (reason or "").strip():
        raise EditRefused([
            _("The fact check found %(count)s differences from the English that no one has explained. Read them "
              "under “Fact check against the English”, then correct the text or give a reason for publishing anyway.")
            % {"count": len(unexplained)}
        ])
    texts = ", ".join(dict.fromkeys(f"{mismatch.language} {mismatch.level}" for mismatch in unexplained))
    return reasons.recorded(OVERRIDE_REASON, count=len(unexplained), texts=texts, why=" ".join(reason.split()))


def open_counts(articles, glossary=None, known=None):
    """{article id: {language: open mismatches}} for the dashboard (the English plain text counts as "en")."""
    from content.rendering import live_glossary_entries

    glossary = live_glossary_entries() if glossary is None else glossary
    known = known_differences() if known is None else known
    counts = {}
    for article in articles:
        per_language = {}
        for mismatch in open_mismatches(check_article(article, glossary, known)):
            per_language[mismatch.language] = per_language.get(mismatch.language, 0) + 1
        counts[article.pk] = per_language
    return counts
