"""What a translated text must keep from its English, checked before anything is written.

A body is blocks (content/text/blocks.py): the app renders headings, lists and
figures natively, so a translation that loses a heading or merges two list
items changes the page, and a figure without alt text fails publication.
"""

from content.editorial.text_checks import value_problems
from content.text.blocks import parse_body
from content.models import ArticleVariant

STRUCTURE = (("heading", "headings"), ("list item", "list items"), ("figure", "figures"))


def target_problems(field_name, source, target, language):
    """Messages about `target`, the translation into `language` of field `field_name` whose English is `source`."""
    if not target.strip():
        return [] if not source.strip() else ["the translation is empty"]
    problems = [f"the translation: {problem}" for problem in value_problems(ArticleVariant, field_name, target)]
    if field_name == "body" and not problems:
        problems.extend(body_problems(source, target))
    return problems


def body_problems(source, target):
    source_blocks, target_blocks = parse_body(source), parse_body(target)
    problems = []
    source_counts, target_counts = structure_counts(source_blocks), structure_counts(target_blocks)
    for singular, plural in STRUCTURE:
        wanted, found = source_counts[singular], target_counts[singular]
        if wanted != found:
            problems.append(
                f"the translation has {count(found, singular, plural)} "
                f"where the English has {count(wanted, singular, plural)}"
            )
    figures = [block for block in target_blocks if block["type"] == "figure"]
    for number, figure in enumerate(figures, start=1):
        if not figure["alt"]:
            src = figure["src"]
            problems.append(f"figure {number} ({src}) has no alt text; write it as ![alt text]({src})")
    return problems


def structure_counts(blocks):
    return {
        "heading": sum(1 for block in blocks if block["type"] == "heading"),
        "list item": sum(len(block["items"]) for block in blocks if block["type"] == "list"),
        "figure": sum(1 for block in blocks if block["type"] == "figure"),
    }


def count(number, singular, plural):
    return f"{number} {singular if number == 1 else plural}"
