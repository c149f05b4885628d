"""The one place that says which fields are translated."""

from modeltranslation.translator import TranslationOptions, register, translator
from modeltranslation.utils import build_localized_fieldname

from content.models import ArticleVariant, GlossaryTerm, Topic


@register(Topic)
class TopicTranslationOptions(TranslationOptions):
    fields = ("name", "description")
    required_languages = ("en",)


@register(ArticleVariant)
class ArticleVariantTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")
    required_languages = {"en": ("title",)}


@register(GlossaryTerm)
class GlossaryTermTranslationOptions(TranslationOptions):
    fields = ("term", "definition", "plain_definition", "aliases", "other_senses", "ipa")
    required_languages = {"en": ("term", "definition", "plain_definition")}


# The history models are built before modeltranslation adds the per-language
# columns; without registering them too, every save fails with "unexpected
# keyword arguments: 'title_en'" after the row is written.
@register(ArticleVariant.history.model)
class HistoricalArticleVariantTranslationOptions(TranslationOptions):
    fields = ("title", "summary", "body")


@register(GlossaryTerm.history.model)
class HistoricalGlossaryTermTranslationOptions(TranslationOptions):
    fields = ("term", "definition", "plain_definition", "aliases", "other_senses", "ipa")


def translated_fields(model):
    """The names of the model's translated fields, as registered above, e.g. ("title", "summary", "body")."""
    registered = translator.get_options_for_model(model).fields
    # The registry does not keep the declared order; the model's field order is the one editors know.
    return tuple(field.name for field in model._meta.fields if field.name in registered)


# Named here once, from the registrations above.
VARIANT_FIELDS = translated_fields(ArticleVariant)
GLOSSARY_FIELDS = translated_fields(GlossaryTerm)


def raw_translation(instance, field, language):
    """The stored text of one language, without modeltranslation's silent fallback."""
    return getattr(instance, build_localized_fieldname(field, language)) or ""
