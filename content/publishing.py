"""What must be true of an article before the public may see it."""

from django.utils.translation import gettext as _

from content.blocks import parse_body
from content.languages import language_codes
from content.translation import raw_translation


def publication_problems(article, variants=None):
    """Reasons the article cannot be published, in words an editor can act on; empty when it can."""
    variants = list(article.variants.all()) if variants is None else variants
    problems = []
    if not any(raw_translation(variant, "body", "en") for variant in variants):
        problems.append(_("The article has no English text to publish."))
    for variant in variants:
        for language in language_codes():
            body = raw_translation(variant, "body", language)
            if not body:
                continue
            missing_alt = [block["src"] for block in parse_body(body) if block["type"] == "figure" and not block["alt"]]
            for src in missing_alt:
                problems.append(
                    _("The %(level)s text in %(language)s has a figure (%(src)s) without alt text.")
                    % {"level": variant.get_level_display(), "language": language, "src": src}
                )
    return problems
