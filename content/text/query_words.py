"""A reader's query cut into the parts search looks for: words, quoted phrases, known names, Chinese words.

Pure functions, no database. Each part is one thing the reader asked for;
results are ranked by how many parts they contain, and only a quoted part is
required. A run of words that is a glossary term's name or alias ("artificial
limb", "quimio", 化疗) stays one part, so it can be looked for by the term's
name too. A run of Han characters is cut into glossary names first, then into
words by jieba (content/text/chinese_words.py). The last word, when the
reader has not typed a space after it, may be the start of a longer word.
"""

import re
from dataclasses import dataclass
from functools import lru_cache

from content.text import chinese_words
from content.text.search_terms import TOKEN, folded_word, query_keys

QUOTED = re.compile(r'"([^"]*)"?')
# Arabic "li-" before the article (للعلاج, "for the treatment") is the name's word with ال (العلاج) to a reader.
ARABIC_LI_BEFORE_ARTICLE = re.compile(r"^لل(?=..)")
# Chinese particles and pronouns jieba leaves as words (骨头断了, 我的腿): in nearly every text, they only rank noise.
HAN_FUNCTION_WORDS = frozenset("了 的 吗 呢 吧 啊 么 呀 我 我的 你 您 他 她 是 在 有 会 要 和 与 及 或 怎么 什么 如何 为什么 哪些".split())


@dataclass(frozen=True)
class Part:
    text: str  # as the reader typed it (a name found in it: as typed)
    words: int  # how many words it counts for in the ranking
    required: bool = False  # quoted
    last: bool = False  # the last word typed, no space after it: may be unfinished
    name: tuple = ()  # the folded name or alias it is, when it is one (the key of `names`)
    han: bool = False
    within: int = -1  # a word of the several-word name at this position: counted with it, not twice

    @property
    def folded(self):
        return folded_word(self.text) if not self.han and self.words == 1 else ""


@lru_cache(maxsize=8192)  # every request folds the glossary's names and the titles: the same few thousand texts
def name_key(text):
    """The key a name or alias is known by: its folded words, a Han run as one."""
    return tuple(match["han"] or _name_word(match["word"]) for match in TOKEN.finditer(text or ""))


def _name_word(word):
    return ARABIC_LI_BEFORE_ARTICLE.sub("ال", folded_word(word))


def parts(query, language, names=frozenset()):
    """[Part] of `query`, in order; `names` are the name keys (name_key) of the glossary in `language`."""
    found = []
    position = 0
    for quoted in QUOTED.finditer(query):
        found += _free_parts(query[position : quoted.start()], language, names)
        if query_keys(quoted[1], language):
            found.append(Part(quoted[1].strip(), len(name_key(quoted[1])), required=True))
        position = quoted.end()
    found += _free_parts(query[position:], language, names)
    found = [_placed(part, found, number) for number, part in enumerate(found)]
    if found and query == query.rstrip() and not query.endswith('"') and not found[-1].required:
        last = found[-1]
        if not last.han and last.words == 1 and not last.name:
            found[-1] = Part(last.text, 1, last=True)
    return found


def _free_parts(text, language, names):
    tokens = [(match["han"] or match["word"], bool(match["han"])) for match in TOKEN.finditer(text)]
    keys = [_name_word(token) if not han else token for token, han in tokens]
    longest = _longest(names)
    found, index = [], 0
    while index < len(tokens):
        for size in range(min(longest, len(tokens) - index), 0, -1):
            key = tuple(keys[index : index + size])
            if key in names and (size > 1 or not tokens[index][1]):
                words = [token for token, _han in tokens[index : index + size]]
                found.append(Part(" ".join(words), size, name=key))
                if size > 1:  # each word still counts alone: "bone metastasis" also finds "metastasis"
                    found += [Part(word, 1, within=-2) for word in words if query_keys(word, language)]
                index += size
                break
        else:
            token, han = tokens[index]
            found += _han_parts(token, language, names) if han else _word_parts(token, language)
            index += 1
    return found


@lru_cache(maxsize=16)  # the same held set of names for every query until the next publication
def _longest(names):
    return max((len(name) for name in names), default=0)


def _word_parts(word, language):
    return [Part(word, 1)] if query_keys(word, language) else []


def _han_parts(run, language, names):
    """A Han run: glossary names in it (longest first, left to right), jieba's words for the rest (no particles)."""
    found = _han_words_and_names(run, names)
    meaningful = [part for part in found if part.text not in HAN_FUNCTION_WORDS]
    return meaningful or found


def _han_words_and_names(run, names):
    found, start, rest = [], 0, ""
    while start < len(run):
        name = next((run[start:end] for end in range(len(run), start, -1) if (run[start:end],) in names and end - start > 1), None)
        if name:
            found += [Part(word, 1, han=True) for word in chinese_words.words(rest)] if rest else []
            found.append(Part(name, 1, name=(name,), han=True))
            rest, start = "", start + len(name)
        else:
            rest += run[start]
            start += 1
    found += [Part(word, 1, han=True) for word in chinese_words.words(rest)] if rest else []
    return found


def _placed(part, found, number):
    """A name's word (within=-2) points at the name part before it."""
    if part.within != -2:
        return part
    owner = max(index for index in range(number) if found[index].name and found[index].words > 1)
    return Part(part.text, 1, within=owner)
