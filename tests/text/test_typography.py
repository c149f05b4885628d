"""Typography of the shipped texts, per language.

Each rule is a small function that returns the offending excerpts of one
string; the unit tests show each can fail, and the shipped-content tests run
them over every Markdown file (title, summary, body) and every glossary entry
(term, definitions, aliases), naming the file and the excerpt.

- fr: a narrow no-break space (U+202F) before ; ? ! and a no-break space
  (U+00A0) before : and inside « », never an ordinary space and never none,
  so a line cannot break before the sign or inside the guillemets.
- zh-hans: full-width punctuation in Chinese sentences (，；：？！（）。);
  ASCII signs stay allowed inside Latin words and numbers ("CT", "3.5").
- ar: the Arabic comma, semicolon and question mark (، ؛ ؟) between Arabic words.
- all: no straight double quote; es/fr/ar use « », en uses “ ”, zh “ ”.
- apostrophes: one style per language. French and English use ’ (l’os,
  patient’s), so English apostrophes match its curly “ ” quotes; Spanish,
  which hardly uses any, keeps the straight '. Glossary aliases
  are left out of this rule: they are search forms and list both spellings
  on purpose ("greffe d’os", "greffe d'os").
"""

import re

import frontmatter
import pytest
import yaml

from content.editorial.shipped import SHIPPED_DIR

NNBSP = "\u202f"
NBSP = "\u00a0"
HAN = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
CJK_PUNCTUATION = "\u3000-\u303f\uff00-\uffef"
ARABIC_LETTER = "\u0621-\u064a\u066e-\u06d3\u06fa-\u06ff"


def _excerpt(text, start, end, margin=12):
    return text[max(0, start - margin) : end + margin].replace(NNBSP, "⍽").replace(NBSP, "°")


def french_spacing_problems(text):
    """Ordinary or missing space before ; : ? ! and inside « » (⍽ = U+202F, ° = U+00A0 in messages)."""
    problems = []
    for match in re.finditer(r"[;:?!]", text):
        i = match.start()
        before = text[i - 1] if i else ""
        if match.group() == ":" and before.isdigit() and text[i + 1 : i + 2].isdigit():
            continue  # a time or a ratio, 10:30
        if before in "?!" and match.group() in "?!":
            continue  # ?! written together
        wanted = NBSP if match.group() == ":" else NNBSP
        if before != wanted:
            problems.append(_excerpt(text, i, i + 1))
    for match in re.finditer("«", text):
        if text[match.end() : match.end() + 1] != NBSP:
            problems.append(_excerpt(text, match.start(), match.end()))
    for match in re.finditer("»", text):
        if text[match.start() - 1 : match.start()] != NBSP:
            problems.append(_excerpt(text, match.start(), match.end()))
    return problems


def chinese_punctuation_problems(text):
    """ASCII , ; : ? ! ( ) next to Chinese, or an ASCII full stop ending a Chinese sentence."""
    chinese = f"[{HAN}{CJK_PUNCTUATION}]"
    problems = []
    for match in re.finditer(r"[,;:?!()]", text):
        i = match.start()
        left = text[:i].rstrip()[-1:]
        right = text[i + 1 :].lstrip()[:1]
        if re.match(chinese, left) or re.match(chinese, right):
            problems.append(_excerpt(text, i, i + 1))
    for match in re.finditer(rf"(?<=[{HAN}])\s*\.", text):
        problems.append(_excerpt(text, match.start(), match.end()))
    return problems


def arabic_punctuation_problems(text):
    """A Latin , ; ? between Arabic words, where ، ؛ ؟ belong."""
    problems = []
    for match in re.finditer(r"[,;?]", text):
        i = match.start()
        left = text[:i].rstrip()[-1:]
        right = text[i + 1 :].lstrip()[:1]
        if re.match(f"[{ARABIC_LETTER}]", left) or re.match(f"[{ARABIC_LETTER}]", right):
            problems.append(_excerpt(text, i, i + 1))
    return problems


def straight_quote_problems(text):
    return [_excerpt(text, m.start(), m.end()) for m in re.finditer('"', text)]


def straight_apostrophe_problems(text):
    """A straight ' inside a word (l'os), in a language whose texts use ’."""
    return [_excerpt(text, m.start(), m.end()) for m in re.finditer(r"(?<=\w)'(?=\w)", text)]


def typographic_apostrophe_problems(text):
    """A ’ inside a word (patient’s), in a language whose texts use the straight '."""
    return [_excerpt(text, m.start(), m.end()) for m in re.finditer(r"(?<=\w)’(?=\w)", text)]


RULES = {
    "en": [straight_quote_problems],
    "es": [straight_quote_problems],
    "fr": [straight_quote_problems, french_spacing_problems],
    "zh-hans": [straight_quote_problems, chinese_punctuation_problems],
    "ar": [straight_quote_problems, arabic_punctuation_problems],
}

# Not applied to glossary aliases (see the module docstring).
APOSTROPHE_RULES = {
    "en": [straight_apostrophe_problems],
    "es": [typographic_apostrophe_problems],
    "fr": [straight_apostrophe_problems],
    "zh-hans": [],
    "ar": [],
}


# --- The rules can fail ---------------------------------------------------------


@pytest.mark.parametrize(
    "rule, bad",
    [
        (french_spacing_problems, "Pourquoi ?"),
        (french_spacing_problems, "Pourquoi?"),
        (french_spacing_problems, "Le choix dépend :"),
        (french_spacing_problems, f"Le choix dépend{NNBSP}:"),
        (french_spacing_problems, "Voici ; voilà"),
        (french_spacing_problems, f"Attention{NBSP}!"),
        (french_spacing_problems, "Ce que veut dire « métastase »"),
        (french_spacing_problems, f"Ce que veut dire «métastase{NBSP}»"),
        (chinese_punctuation_problems, "骨肉瘤,尤文肉瘤"),
        (chinese_punctuation_problems, "包括:"),
        (chinese_punctuation_problems, "保肢手术能保住我的腿吗?"),
        (chinese_punctuation_problems, "美国癌症治疗中心(CTCA)"),
        (chinese_punctuation_problems, "这是癌症."),
        (arabic_punctuation_problems, "الجراحة, والعلاج الكيميائي"),
        (arabic_punctuation_problems, "هل يمكن إنقاذ ساقي?"),
        (arabic_punctuation_problems, "أولًا; ثم"),
        (straight_quote_problems, 'implants that "grow"'),
        (straight_apostrophe_problems, "l'os"),
        (typographic_apostrophe_problems, "el patient’s care"),
        (straight_apostrophe_problems, "the patient's care"),
    ],
)
def test_each_rule_finds_its_defect(rule, bad):
    assert rule(bad)


@pytest.mark.parametrize(
    "rule, good",
    [
        (french_spacing_problems, f"Pourquoi{NNBSP}? Le choix dépend{NBSP}: ceci{NNBSP}; cela{NNBSP}!"),
        (french_spacing_problems, f"Ce que veut dire «{NBSP}métastase{NBSP}»"),
        (french_spacing_problems, "Rendez-vous à 10:30"),
        (chinese_punctuation_problems, "骨肉瘤，尤文肉瘤。包括：CT、MRI？需要3.5厘米（约）！"),
        (chinese_punctuation_problems, "美国癌症治疗中心（CTCA）"),
        (chinese_punctuation_problems, "Cancer Treatment Centers of America (CTCA), 2022."),
        (arabic_punctuation_problems, "الجراحة، والعلاج الكيميائي؛ هل يمكن إنقاذ ساقي؟"),
        (arabic_punctuation_problems, "مراكز علاج السرطان (CTCA)"),
        (straight_quote_problems, "implants that “grow”, «crecen»"),
        (straight_apostrophe_problems, "l’os, c’est"),
        (typographic_apostrophe_problems, "the patient's care, “grow”"),
        (straight_apostrophe_problems, "the patient’s care, “grow”"),
    ],
)
def test_each_rule_passes_correct_text(rule, good):
    assert rule(good) == []


# --- The shipped texts ---------------------------------------------------------


def _article_texts():
    for path in sorted(SHIPPED_DIR.glob("articles/*/*.md")):
        language = path.name.split(".")[1]
        post = frontmatter.loads(path.read_text(encoding="utf-8"))
        for name in ("title", "summary"):
            yield language, f"{path.parent.name}/{path.name} {name}", str(post.metadata.get(name) or ""), False
        yield language, f"{path.parent.name}/{path.name} body", post.content, False


def _glossary_texts():
    for path in sorted(SHIPPED_DIR.glob("glossary/*.yaml")):
        entry = yaml.safe_load(path.read_text(encoding="utf-8"))
        for language in RULES:
            fields = entry.get(language) or {}
            for name in ("term", "definition", "plain_definition"):
                yield language, f"glossary/{path.name} {language} {name}", str(fields.get(name) or ""), False
            for alias in fields.get("aliases") or []:
                yield language, f"glossary/{path.name} {language} alias", str(alias), True


def _problems(language):
    found = []
    for text_language, where, text, is_alias in [*_article_texts(), *_glossary_texts()]:
        if text_language != language:
            continue
        for rule in RULES[language] + ([] if is_alias else APOSTROPHE_RULES[language]):
            found += [f"{where}: {rule.__name__}: {excerpt!r}" for excerpt in rule(text)]
    return found


@pytest.mark.parametrize("language", list(RULES))
def test_shipped_texts_follow_the_typography_of_their_language(language):
    problems = _problems(language)
    assert not problems, "\n".join(problems)


def test_every_language_has_shipped_texts_to_check():
    languages = {language for language, *_rest in [*_article_texts(), *_glossary_texts()]}
    assert languages == set(RULES)
