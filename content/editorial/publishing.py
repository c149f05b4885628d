"""What must be true of an article before the public may see it."""

from django.utils.translation import get_language_info
from django.utils.translation import gettext as _

from content.text.blocks import parse_body
from content.languages import SOURCE_LANGUAGE, language_codes
from content.models import ReadingLevel
from content.translation import raw_translation

REQUIRED_ENGLISH_FIELDS = ("title", "summary", "body")


def publication_problems(article):
    """Reasons the article's working copy cannot be published, in words an editor can act on; empty when it can.

    Readability is read from what the write path measured when the text was
    saved (`ArticleVariant.readability`), not measured again.
    """
    variants = list(article.variants.all())
    problems = []
    if not any(variant.level == ReadingLevel.STANDARD for variant in variants):
        problems.append(_("The article has no standard-level text."))
    for variant in variants:
        level = variant.get_level_display()
        for name in REQUIRED_ENGLISH_FIELDS:
            if not raw_translation(variant, name, SOURCE_LANGUAGE).strip():
                problems.append(_("The %(level)s text has no English %(field)s.") % {"level": level, "field": _(name)})
        for language in language_codes():
            body = raw_translation(variant, "body", language)
            if not body.strip():
                continue
            blocks = parse_body(body)
            for block in blocks:
                if block["type"] == "figure" and not block["alt"]:
                    problems.append(
                        _("The %(level)s text in %(language)s has a figure (%(src)s) without alt text.")
                        % {"level": level, "language": language_name(language), "src": block["src"]}
                    )
            if variant.level == ReadingLevel.PLAIN:
                problems.extend(_readability_problems(variant, language))
    return problems


def _readability_problems(variant, language):
    measured = variant.readability.get(language, {})
    if measured.get("meets_target"):
        return []
    return [
        _("The plain text in %(language)s misses its readability target: %(formula)s %(score)s, target %(target)s; "
          "average sentence %(average)s, longest %(longest)s.")
        % {
            "language": language_name(language),
            "formula": measured.get("formula_name", measured.get("formula", "")),
            "score": measured.get("score"),
            "target": _describe_target(measured.get("target") or {}),
            "average": measured.get("sentences", {}).get("average_length"),
            "longest": measured.get("sentences", {}).get("longest"),
        }
    ]


def language_name(code):
    """The language's name in the language of the person reading the message."""
    return get_language_info(code)["name_translated"]


def _describe_target(target):
    if target.get("kind") == "max":
        return f"≤ {target['score']}"
    if target.get("kind") == "min":
        return f"≥ {target['score']}"
    return _("sentence rules only")
