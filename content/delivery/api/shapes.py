"""The v1 response shapes, declared for the OpenAPI schema and the clients generated from it.

The data itself is built once, in content/delivery/serving.py and content/delivery/payloads.py (JSON-ready dicts); these
classes describe it field by field for drf-spectacular, and add only what depends on the request (links).
tests/test_api_contract.py holds every response against these declarations, so the two cannot drift.
"""

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema_field
from rest_framework import serializers

from content.delivery.api.audio_shapes import (
    AUDIO_DESCRIPTION, AUDIO_UNAVAILABLE_HELP, AUDIO_UNAVAILABLE_REASON_CHOICES, AudioField, PronunciationSerializer,
)
from content.delivery.links import article_link, term_link
from content.delivery.search import MAX_QUERY_LENGTH
from content.delivery.suggest import MAX_LENGTH as SUGGEST_MAX_LENGTH, long_enough as suggest_long_enough

from content.clinical_codes import SYSTEM_CHOICES
from content.delivery.api.errors import ERROR_CODE_CHOICES
from content.languages import LANGUAGE_CODE_CHOICES
from content.models import ArticleStatus, ReadingLevel, ReviewStatus

DIRECTION_CHOICES = [("ltr", "ltr"), ("rtl", "rtl")]


class TopicSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    name = serializers.CharField()


class TopicWithCountSerializer(TopicSerializer):
    description = serializers.CharField(allow_null=True, help_text="Null when the topic has no description.")
    article_count = serializers.IntegerField(help_text="Published articles in this topic.")

    def to_representation(self, topic):
        data = super().to_representation(topic)
        data["description"] = data["description"] or None
        return data


class ServedLanguageSerializer(serializers.Serializer):
    requested = serializers.CharField(
        allow_null=True, help_text="What the client asked for: the `lang` parameter or the Accept-Language header."
    )
    served = serializers.ChoiceField(choices=LANGUAGE_CODE_CHOICES, help_text="The language of the text served.")
    tag = serializers.CharField(
        help_text="BCP 47 tag of the served language, e.g. zh-Hans; the Content-Language header has the same value."
    )
    direction = serializers.ChoiceField(choices=DIRECTION_CHOICES)
    fell_back = serializers.BooleanField(
        help_text=(
            "True when the served language is not the one asked for: the text is not translated into it, or "
            "Accept-Language named only languages not served (e.g. zh-TW, zh-Hant) and English was served."
        )
    )
    fallback_fields = serializers.ListField(
        child=serializers.CharField(), help_text="Fields served in English because they are not translated yet."
    )


class ServedLevelSerializer(serializers.Serializer):
    requested = serializers.ChoiceField(choices=ReadingLevel.choices, allow_null=True)
    served = serializers.ChoiceField(choices=ReadingLevel.choices)
    fell_back = serializers.BooleanField(help_text="True when the requested level is not available in this language.")


class ReviewStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(
        choices=ReviewStatus.choices, help_text="Review status of the body served, as published."
    )
    language = serializers.ChoiceField(
        choices=LANGUAGE_CODE_CHOICES, help_text="The language of the body served (English when it fell back)."
    )


class NoticeSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=[("source_older_than_limit", "source_older_than_limit")],
        help_text="`source_older_than_limit`: a cited source was last reviewed more than `limit_years` ago.",
    )
    message = serializers.CharField(help_text="A sentence to show with the article, in the served language.")
    source_review_date = serializers.DateField(help_text="The review date of the oldest such source.")


class LicenseSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="The licence of BoneCare's own text, e.g. `CC BY 4.0`.")
    url = serializers.URLField(help_text="The licence's deed, in the served language where one is published.")
    legal_code = serializers.URLField(help_text="The licence's legal code.")
    attribution = serializers.CharField(help_text="What to show with the text when reusing it, in the served language.")
    terms = serializers.URLField(help_text="The terms of use, in the served language (a page).")


class ClinicalCodeSerializer(serializers.Serializer):
    system = serializers.ChoiceField(
        choices=SYSTEM_CHOICES,
        help_text="ICD-10-CM (HL7 OID 2.16.840.1.113883.6.90), SNOMED-CT (2.16.840.1.113883.6.96) or ICD-O-3 "
        "morphology (2.16.840.1.113883.6.43.1).",
    )
    code = serializers.CharField(help_text="As the code system writes it: `C79.51`, `9180/3`.")
    display = serializers.CharField(
        help_text="The code system's own name for the code, in English in every language: it is the code's "
        "display name, not text for patients."
    )


CODES_HELP = (
    "Coded concepts the content is about, as published with it (a change waits for a Medical reviewer, like text). "
    "Ask for content by code with `/api/v1/infobutton/`."
)


class ArticleListItemSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField(
        help_text="The article's detail, with this request's negotiated `lang` and `level` in the query."
    )
    topic = TopicSerializer()
    title = serializers.CharField()
    summary = serializers.CharField()
    language = ServedLanguageSerializer()
    level = ServedLevelSerializer()
    reading_time_minutes = serializers.FloatField()
    review = ReviewStatusSerializer()
    notices = NoticeSerializer(many=True, help_text="Notices to show with the article, e.g. that a source is old.")
    published_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    license = LicenseSerializer(
        help_text="The licence of BoneCare's text and the terms of use; each source keeps its own attribution."
    )


    codes = ClinicalCodeSerializer(many=True, help_text=CODES_HELP)

    def get_url(self, item) -> str:
        return article_link(self.context.get("request"), item["slug"])

    def to_representation(self, item):
        # content/delivery/serving.py already shaped the item as JSON-ready data; the
        # declared fields document it. Re-serialising it field by field would
        # only cost time on the hottest path (about a third of a detail request).
        return {**item, "url": self.get_url(item)}


class BlockSerializer(serializers.Serializer):
    # What every kind of block has; each adds its own fields (no docstring: it would describe every kind).

    lang = serializers.CharField(
        required=False,
        help_text="BCP 47 tag of this block's language, only when it differs from the article's (a drug name, say).",
    )


class HeadingBlockSerializer(BlockSerializer):
    """A section heading."""

    type = serializers.ChoiceField(choices=[("heading", "heading")])
    level = serializers.IntegerField(min_value=2, max_value=6, help_text="Heading level: 2 under the article title.")
    text = serializers.CharField(help_text="Plain text (not HTML).")


class ParagraphBlockSerializer(BlockSerializer):
    """A paragraph of plain text."""

    type = serializers.ChoiceField(choices=[("paragraph", "paragraph")])
    text = serializers.CharField(help_text="Plain text (not HTML).")


class ListBlockSerializer(BlockSerializer):
    """A bulleted list."""

    type = serializers.ChoiceField(choices=[("list", "list")])
    items = serializers.ListField(child=serializers.CharField(), help_text="The items, as plain text, in order.")


class FigureBlockSerializer(BlockSerializer):
    """An image with alt text."""

    type = serializers.ChoiceField(choices=[("figure", "figure")])
    src = serializers.CharField(help_text="Image address: https or relative to this API's host.")
    alt = serializers.CharField(help_text="Alt text, in the block's language; never empty in published text.")


BLOCK_SERIALIZERS = {
    "heading": HeadingBlockSerializer,
    "paragraph": ParagraphBlockSerializer,
    "list": ListBlockSerializer,
    "figure": FigureBlockSerializer,
}


@extend_schema_field(
    PolymorphicProxySerializer(
        component_name="Block", serializers=BLOCK_SERIALIZERS, resource_type_field_name="type", many=False
    )
)
class BlockField(serializers.JSONField):
    """One block: a heading, paragraph, list or figure, told apart by `type` (one schema component each)."""


class GlossarySpanSerializer(serializers.Serializer):
    block = serializers.IntegerField(help_text="Index of the block in `blocks`.")
    item = serializers.IntegerField(allow_null=True, help_text="Index of the list item, for list blocks.")
    start = serializers.IntegerField(
        help_text="Start offset in Unicode code points (as Python and Swift's String.unicodeScalars count) in the "
        "block or item text."
    )
    end = serializers.IntegerField(help_text="End offset in code points, exclusive.")
    start_utf16 = serializers.IntegerField(
        help_text="Start offset in UTF-16 code units, as JavaScript, Java/Kotlin and Swift's NSString/NSRange count. "
        "Differs from `start` after a character outside the Basic Multilingual Plane (an emoji, a rare ideograph)."
    )
    end_utf16 = serializers.IntegerField(help_text="End offset in UTF-16 code units, exclusive.")
    term = serializers.SlugField(help_text="Slug of the glossary term.")
    text = serializers.CharField(help_text="The text matched.")


class TermSummarySerializer(serializers.Serializer):
    slug = serializers.SlugField()
    term = serializers.CharField()
    definition = serializers.CharField(help_text="The plain definition when the plain level is served.")


class ReadabilityTargetSerializer(serializers.Serializer):
    """The same shape in every language."""

    kind = serializers.ChoiceField(
        choices=[("max", "max"), ("min", "min"), ("none", "none")],
        help_text=(
            "`max`: the score must be at most `score` (grade-level formulas); `min`: at least `score` "
            "(reading-ease formulas); `none`: the score is only reported and the target is the sentence rules."
        ),
    )
    score = serializers.FloatField(allow_null=True, help_text="The score to reach; null when `kind` is `none`.")
    basis = serializers.CharField(help_text="Where the target comes from; for `none`, why the score is only reported.")
    sentence_average_max = serializers.IntegerField(
        help_text="The most the average sentence length may be, in `sentences.unit`."
    )
    sentence_longest_max = serializers.IntegerField(
        help_text="The most the longest sentence may be, in `sentences.unit`."
    )


class OtherScoreSerializer(serializers.Serializer):
    formula = serializers.CharField()
    formula_name = serializers.CharField()
    score = serializers.FloatField(allow_null=True)


class SentenceStatisticsSerializer(serializers.Serializer):
    count = serializers.IntegerField(help_text="Sentences measured (headings and short labels are left out).")
    average_length = serializers.FloatField()
    longest = serializers.IntegerField()
    unit = serializers.ChoiceField(
        choices=[("words", "words"), ("characters", "characters")],
        help_text="What lengths are counted in: characters for Chinese, words otherwise.",
    )
    limit_average = serializers.IntegerField(help_text="The most the average length may be at this level.")
    limit_longest = serializers.IntegerField(help_text="The most the longest sentence may be at this level.")


class ReadabilitySerializer(serializers.Serializer):
    """How readable the served text is. Only `language` is present when the article has no body text."""

    language = serializers.CharField(help_text="The language of the text measured (the body's served language).")
    formula = serializers.CharField(required=False)
    formula_name = serializers.CharField(required=False)
    score = serializers.FloatField(required=False, allow_null=True)
    target = ReadabilityTargetSerializer(required=False)
    meets_target = serializers.BooleanField(required=False)
    meets_sentence_rules = serializers.BooleanField(required=False)
    other_scores = OtherScoreSerializer(many=True, required=False)
    sentences = SentenceStatisticsSerializer(required=False)
    long_word_share = serializers.FloatField(required=False, help_text="Share of long words, from 0 to 1.")
    long_word_definition = serializers.CharField(
        required=False, help_text="What counts as a long word in this language, in English."
    )

    def to_representation(self, instance):
        # Computed and stored when the text was saved; the fields above document it.
        return dict(instance)


class ReviewSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ReviewStatus.choices)
    language = serializers.CharField()
    notice = serializers.CharField(help_text="A sentence an app can show as is, in the served language.")
    translated_by = serializers.CharField(allow_null=True, help_text="Null when not recorded.")
    reviewed_by = serializers.CharField(allow_null=True, help_text="Null when no reviewer is recorded.")
    reviewed_on = serializers.DateField(allow_null=True)
    translated_at = serializers.DateTimeField(allow_null=True, help_text="When this language's text last changed.")
    outdated = serializers.BooleanField(help_text="True when the English changed after this text was translated.")
    outdated_fields = serializers.ListField(
        child=serializers.CharField(), help_text="Fields whose English changed since this translation was made."
    )
    last_reviewed = serializers.DateField(allow_null=True, help_text="Last medical review of the article.")
    next_review = serializers.DateField(allow_null=True)


class SourceAgeSerializer(serializers.Serializer):
    years_since_review = serializers.IntegerField(help_text="Whole years since the source's own review date.")
    limit_years = serializers.IntegerField(help_text="A source reviewed longer ago than this is old.")
    older_than_limit = serializers.BooleanField(
        help_text="True when the information from this source may be out of date; the article then has a notice."
    )


class SourceSerializer(serializers.Serializer):
    publisher = serializers.CharField(allow_null=True, help_text="Null when the source does not state one.")
    title = serializers.CharField()
    url = serializers.CharField(allow_null=True, help_text="Null when the source has no web address.")
    review_date = serializers.DateField(allow_null=True, help_text="The review or update date the source states.")
    reviewed_by = serializers.CharField(allow_null=True, help_text="Null when the source names no reviewer.")
    attribution = serializers.CharField(help_text="Attribution text to show with the article, in the served language.")
    age = SourceAgeSerializer(allow_null=True, help_text="Null when the source states no review date.")


class AvailabilitySerializer(serializers.Serializer):
    level = serializers.ChoiceField(choices=ReadingLevel.choices)
    languages = serializers.ListField(child=serializers.ChoiceField(choices=LANGUAGE_CODE_CHOICES))


class ArticleDetailSerializer(ArticleListItemSerializer):
    status = serializers.ChoiceField(
        choices=ArticleStatus.choices,
        help_text="Always `published`, except in a preview opened with a `preview` token from the admin.",
    )
    published_at = serializers.DateTimeField(
        allow_null=True, help_text="Null only in a preview of an article that was never published."
    )
    blocks = serializers.ListField(child=BlockField(), help_text="The body, in reading order.")
    glossary = GlossarySpanSerializer(many=True)
    glossary_terms = TermSummarySerializer(many=True)
    readability = ReadabilitySerializer()
    review = ReviewSerializer()
    sources = SourceSerializer(many=True)
    available = AvailabilitySerializer(many=True)
    audio = AudioField(allow_null=True, help_text=AUDIO_DESCRIPTION)
    audio_unavailable_reason = serializers.ChoiceField(
        choices=AUDIO_UNAVAILABLE_REASON_CHOICES, allow_null=True, help_text=AUDIO_UNAVAILABLE_HELP
    )



class LevelAvailabilitySerializer(serializers.Serializer):
    articles = serializers.IntegerField(help_text="Published articles available at this level in this language.")
    clinician_reviewed = serializers.IntegerField(help_text="How many of those a clinician has reviewed.")
    clinician_reviewed_share = serializers.FloatField(help_text="clinician_reviewed / articles, from 0 to 1.")


class LevelsSerializer(serializers.Serializer):
    standard = LevelAvailabilitySerializer()
    plain = LevelAvailabilitySerializer()


class LanguageSerializer(serializers.Serializer):
    code = serializers.ChoiceField(choices=LANGUAGE_CODE_CHOICES)
    tag = serializers.CharField()
    name = serializers.CharField(help_text="English name.")
    native_name = serializers.CharField()
    direction = serializers.ChoiceField(choices=DIRECTION_CHOICES)
    articles = serializers.IntegerField(help_text="Published articles available in this language, at any level.")
    levels = LevelsSerializer(help_text="Availability at each reading level.")


class GlossaryTermSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    term = serializers.CharField()
    definition = serializers.CharField()
    plain_definition = serializers.CharField()
    language = ServedLanguageSerializer()
    codes = ClinicalCodeSerializer(many=True, help_text=CODES_HELP)
    pronunciation = PronunciationSerializer(help_text="How the headword is said: IPA and a short recording.")


class TermUsageSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField(
        help_text="The article's detail, with this request's negotiated `lang` and `level` in the query."
    )
    languages = serializers.ListField(child=serializers.CharField())

    def get_url(self, usage) -> str:
        return article_link(self.context.get("request"), usage["slug"])


class GlossaryTermDetailSerializer(GlossaryTermSerializer):
    articles = TermUsageSerializer(many=True)


class FieldErrorSerializer(serializers.Serializer):
    message = serializers.CharField(help_text="What is wrong with the value, in the negotiated language.")
    code = serializers.CharField(help_text="Django's code for the problem, e.g. `invalid` or `max_length`.")


class ErrorDetailsSerializer(serializers.Serializer):
    """What the error is about; which keys are present depends on `code`."""

    lang = serializers.CharField(required=False, help_text="`unsupported_language`: the value sent.")
    level = serializers.CharField(required=False, help_text="`unsupported_level`: the value sent.")
    supported = serializers.ListField(
        child=serializers.CharField(),
        required=False,
        help_text="`unsupported_language`, `unsupported_level`: the values that are accepted.",
    )
    page = serializers.CharField(required=False, help_text="`invalid_page`, `page_out_of_range`: the value sent.")
    last_page = serializers.IntegerField(required=False, help_text="`page_out_of_range`: the last page there is.")
    page_size = serializers.CharField(required=False, help_text="`invalid_page_size`: the value sent.")
    slug = serializers.CharField(
        required=False, help_text="`article_not_found`, `glossary_term_not_found`: the slug sent."
    )
    cursor = serializers.CharField(required=False, help_text="`invalid_cursor`, `cursor_from_future`: the cursor sent.")
    fields = serializers.DictField(
        child=FieldErrorSerializer(many=True),
        required=False,
        help_text="`invalid_parameter`: for each parameter in error, what is wrong with it.",
    )
    wait_seconds = serializers.IntegerField(
        required=False, allow_null=True, help_text="`throttled`: seconds until a request is allowed again."
    )


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.ChoiceField(
        choices=ERROR_CODE_CHOICES, help_text="Stable, machine-readable code; new codes may be added in later versions."
    )
    message = serializers.CharField(help_text="Human-readable message in the negotiated language.")
    details = ErrorDetailsSerializer()


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


class TombstoneSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=[("article", "article"), ("glossary_term", "glossary_term")])
    slug = serializers.SlugField()
    withdrawn_at = serializers.DateTimeField(help_text="When it stopped being public. Remove it from the device.")


class SyncSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="Send this back as `cursor` on the next sync. Opaque.")
    initial = serializers.BooleanField(help_text="True when no cursor was sent: this is everything published.")
    articles = ArticleDetailSerializer(many=True, help_text="Published or changed since the cursor, in full.")
    glossary = GlossaryTermSerializer(many=True, help_text="Glossary terms published or changed since the cursor.")
    tombstones = TombstoneSerializer(many=True, help_text="Withdrawn since the cursor (never on an initial sync).")


class BundleSerializer(serializers.Serializer):
    cursor = serializers.CharField(help_text="A sync cursor: continue with `/api/v1/sync/?cursor=...` from here.")
    generated_at = serializers.DateTimeField()
    language = serializers.ChoiceField(choices=LANGUAGE_CODE_CHOICES)
    level = serializers.ChoiceField(choices=ReadingLevel.choices)
    articles = ArticleDetailSerializer(many=True, help_text="Every published article, in full.")
    glossary = GlossaryTermSerializer(many=True)
    topics = TopicWithCountSerializer(many=True)
    languages = LanguageSerializer(many=True)
    license = LicenseSerializer(help_text="The licence of every text in the bundle, and the terms of use.")


SEARCH_RESULT_TYPES = [("article", "article"), ("glossary", "glossary")]
SEARCH_FIELDS = [(name, name) for name in ("title", "summary", "body", "term", "definition")]


class ParametersSerializer(serializers.Serializer):
    """A view's own query parameters: flat and validated once per request.

    Its fields are built and bound once per class and shared by every request instead of rebuilt for each (DRF's
    deep copy, then binding), which took longer than the validation: validating a value only reads a field (its
    validators, choices and messages), never its parent or context. Checks that need the request are the
    serializer's own `validate_<name>` methods, which run on each request's instance.
    """

    @property
    def fields(self):
        cls = type(self)
        shared = cls.__dict__.get("_shared_fields")
        if shared is None:
            # DRF's own fields, bound to a serializer of their own rather than to a request's, which they would keep
            # alive; two threads making them at once make the same.
            shared = super(ParametersSerializer, cls()).fields
            cls._shared_fields = shared
        return shared


class SearchParametersSerializer(ParametersSerializer):
    """The search's own query parameters (lang, level and paging are read like everywhere else)."""

    q = serializers.CharField(max_length=MAX_QUERY_LENGTH, help_text="Words to find.")
    type = serializers.ChoiceField(choices=SEARCH_RESULT_TYPES, required=False, help_text="Only this kind of result.")


class SearchHighlightSerializer(serializers.Serializer):
    start = serializers.IntegerField(help_text="Offset in `text`, in Unicode code points.")
    end = serializers.IntegerField(help_text="End offset (exclusive), in Unicode code points.")
    start_utf16 = serializers.IntegerField(help_text="`start` in UTF-16 code units (JavaScript, Kotlin, NSString).")
    end_utf16 = serializers.IntegerField(help_text="`end` in UTF-16 code units.")


class SearchMatchSerializer(serializers.Serializer):
    field = serializers.ChoiceField(
        choices=SEARCH_FIELDS,
        help_text="Where it matched: an article's `title`, `summary` or `body`; a glossary term's `term` or `definition`.",
    )
    text = serializers.CharField(
        help_text="The field's text; for `body`, an excerpt around the first match, with … where it is cut."
    )
    highlights = SearchHighlightSerializer(many=True, help_text="The matching words in `text`, to highlight.")


class SearchResultSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=SEARCH_RESULT_TYPES)
    slug = serializers.SlugField()
    url = serializers.SerializerMethodField(
        help_text="The article or glossary term, with this request's negotiated `lang` and `level` in the query."
    )
    title = serializers.CharField(help_text="An article's title or a glossary term, as served.")
    summary = serializers.CharField(help_text="An article's summary, or a term's definition at the level served.")
    score = serializers.FloatField(help_text="Relevance, higher first; comparable only within one answer.")
    language = ServedLanguageSerializer()
    matches = SearchMatchSerializer(
        many=True, help_text="The fields that matched, title first; empty only when the match was in another form."
    )

    def get_url(self, item) -> str:
        request = self.context.get("request")
        if item["type"] == "article":
            return article_link(request, item["slug"])
        return term_link(request, item["slug"])

    def to_representation(self, item):
        # content/delivery/search.py shaped the item already; only the link depends on the request.
        return {**item, "url": self.get_url(item)}


# ---------------------------------------------------------------- HL7 Infobutton (content/delivery/infobutton.py)
# The JSON feed is shaped like MedlinePlus Connect's (values under `_value`), so code written for it reads ours.


class FeedTextSerializer(serializers.Serializer):
    _value = serializers.CharField()
    type = serializers.ChoiceField(choices=[("text", "text")])


class FeedValueSerializer(serializers.Serializer):
    _value = serializers.CharField()


class FeedLinkSerializer(serializers.Serializer):
    href = serializers.URLField(help_text="The article in the requested language and level (`lang`, `level`).")
    rel = serializers.ChoiceField(choices=[("alternate", "alternate")])
    type = serializers.CharField()
    hreflang = serializers.ChoiceField(choices=LANGUAGE_CODE_CHOICES)


class FeedCategorySerializer(serializers.Serializer):
    scheme = serializers.CharField(help_text="The request parameter it echoes, e.g. `mainSearchCriteria.v.c`.")
    term = serializers.CharField()




class FeedLanguageSerializer(serializers.Serializer):
    requested = serializers.CharField(
        allow_null=True,
        help_text="informationRecipient.languageCode.c as sent, else the Accept-Language header; null if neither.",
    )
    served = serializers.ChoiceField(choices=LANGUAGE_CODE_CHOICES)
    fell_back = serializers.BooleanField(help_text="True when the language asked for is not served: English instead.")


class FeedAuthorSerializer(serializers.Serializer):
    name = FeedValueSerializer()
    uri = FeedValueSerializer()


class ServedLevelOfEntrySerializer(serializers.Serializer):
    requested = serializers.ChoiceField(choices=ReadingLevel.choices, help_text="From informationRecipient.")
    served = serializers.ChoiceField(choices=ReadingLevel.choices)
    fell_back = serializers.BooleanField()


class InfobuttonEntrySerializer(serializers.Serializer):
    id = FeedValueSerializer()
    title = FeedTextSerializer(help_text="The article's title, in `lang`.")
    link = FeedLinkSerializer(many=True)
    summary = FeedTextSerializer(help_text="The article's summary (plain text), in the language `language` states.")
    updated = FeedValueSerializer()
    lang = serializers.ChoiceField(choices=LANGUAGE_CODE_CHOICES, help_text="The language of the title.")
    language = ServedLanguageSerializer()
    level = ServedLevelOfEntrySerializer()
    codes = ClinicalCodeSerializer(many=True, help_text="All the article's published codes.")
    matched_code = ClinicalCodeSerializer(help_text="The code that matched: the one asked for, or an ICD-10-CM parent.")
    license = LicenseSerializer(help_text="The licence of BoneCare's text and the terms of use.")


class InfobuttonFeedSerializer(serializers.Serializer):
    base = serializers.URLField()
    lang = serializers.ChoiceField(choices=LANGUAGE_CODE_CHOICES)
    id = FeedValueSerializer()
    title = FeedTextSerializer()
    updated = FeedValueSerializer()
    author = FeedAuthorSerializer()
    category = FeedCategorySerializer(many=True, help_text="The request's parameters, echoed.")
    language = FeedLanguageSerializer()
    level = serializers.ChoiceField(choices=ReadingLevel.choices)
    license = LicenseSerializer(help_text="The licence of BoneCare's text and the terms of use.")
    entry = InfobuttonEntrySerializer(many=True, help_text="Empty when nothing published carries the code.")


class InfobuttonResponseSerializer(serializers.Serializer):
    feed = InfobuttonFeedSerializer()


class SuggestParametersSerializer(ParametersSerializer):
    """The suggestions' own query parameter (lang and level are read like everywhere else)."""

    q = serializers.CharField(max_length=SUGGEST_MAX_LENGTH, trim_whitespace=False, help_text="What the reader has typed so far.")

    def validate_q(self, value):
        if not suggest_long_enough(value):
            raise serializers.ValidationError(
                gettext_lazy("Type at least two letters, or one Chinese character, to get suggestions.")
            )
        return value


class SuggestionSerializer(serializers.Serializer):
    type = serializers.ChoiceField(choices=SEARCH_RESULT_TYPES)
    slug = serializers.SlugField()
    title = serializers.CharField(help_text="An article's title or a glossary term, as served.")
    url = serializers.SerializerMethodField(
        help_text="The article or glossary term, with this request's negotiated `lang` and `level` in the query."
    )

    def get_url(self, item) -> str:
        return SearchResultSerializer.get_url(self, item)


class SuggestionsSerializer(serializers.Serializer):
    query = serializers.CharField(help_text="`q` as received.")
    results = SuggestionSerializer(many=True, help_text="At most 8, best first: titles that start with `q` first.")
