"""Which fields editors fill with plain text, and what is wrong with a value for one of them.

The rule itself is content/text/plain_text.py; this names the fields it
guards: every translated field (titles, summaries, bodies with their figures'
alt texts and addresses, glossary terms and definitions, topic names) in
every language, and the source fields an editor types. The write path
(services.py) refuses a save that breaks it, and the admin forms show the
same sentences on the field, so every way in says the same thing.
"""

from django.utils.translation import gettext as _
from modeltranslation.utils import build_localized_fieldname

from content.languages import language_codes
from content.models import ArticleVariant, GlossaryTerm, SourceDocument, Topic
from content.text.plain_text import normalise_line_breaks, text_problems
from content.translation import translated_fields

# Fields written as blocks (headings, lists, figures): checked for figure addresses too.
MARKUP_FIELDS = {(ArticleVariant, "body")}
# Untranslated plain-text fields that editors type.
PLAIN_FIELDS = {SourceDocument: ("title", "publisher", "reviewed_by")}
TRANSLATED_MODELS = (ArticleVariant, GlossaryTerm, Topic)

# The longest text each field takes, checked before anything else reads the text (readability, glossary matching,
# the HTML check), so no post costs more than its bounded size. A character field's limit is its max_length. The
# longest shipped body is about 5,000 characters and the longest summary about 400: 20× and 5× that leaves room for
# any patient article, where the 2.5 MB a form may carry would hold 500 of them.
TEXT_MAX_LENGTHS = {(ArticleVariant, "body"): 100_000, (ArticleVariant, "summary"): 2_000}
# Glossary definitions, aliases, other senses, topic descriptions.
DEFAULT_TEXT_MAX_LENGTH = 10_000


def checked_columns(model):
    """[(column, field name, language or None)] of the model's plain-text columns."""
    names = translated_fields(model) if model in TRANSLATED_MODELS else ()
    columns = [(build_localized_fieldname(name, language), name, language) for name in names for language in language_codes()]
    columns.extend((name, name, None) for name in PLAIN_FIELDS.get(model, ()))
    return columns


def max_length(model, field_name):
    return model._meta.get_field(field_name).max_length or TEXT_MAX_LENGTHS.get((model, field_name), DEFAULT_TEXT_MAX_LENGTH)


def length_problem(model, field_name, value):
    """A sentence when `value` is longer than the field takes, else None."""
    limit = max_length(model, field_name)
    if len(value or "") <= limit:
        return None
    return _("This text is %(length)s characters long; at most %(limit)s characters are allowed here.") % {
        "length": len(value),
        "limit": limit,
    }


def value_problems(model, field_name, value):
    """Sentences about `value` for the field `field_name` of `model`; a text over its length is not read further."""
    too_long = length_problem(model, field_name, value)
    if too_long:
        return [too_long]
    return text_problems(value or "", markup=(model, field_name) in MARKUP_FIELDS)


def normalise_instance(instance):
    """One kind of line break in every plain-text column, so the same text always has the same fingerprint."""
    for column, _name, _language in checked_columns(type(instance)):
        value = getattr(instance, column, None)
        if isinstance(value, str):
            setattr(instance, column, normalise_line_breaks(value))


def instance_problems(instance):
    """{column: [sentences]} for the plain-text columns of `instance` that break the rule."""
    model = type(instance)
    problems = {}
    for column, name, _language in checked_columns(model):
        found = value_problems(model, name, getattr(instance, column, "") or "")
        if found:
            problems[column] = found
    return problems


def describe(model, column):
    """"title [fr]" for a translated column, the field's name otherwise."""
    for candidate, name, language in checked_columns(model):
        if candidate == column:
            label = str(model._meta.get_field(name).verbose_name)
            return f"{label} [{language}]" if language else label
    return column
