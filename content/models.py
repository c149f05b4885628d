"""BoneCare's content model.

Source documents are what the importer read. Articles are what patients read:
each has a standard and a plain-language variant, and every text field of a
variant is translated through django-modeltranslation (see translation.py).
Draft over live: the variant rows are the editors' working copy. What patients
see is the `Rendition` rows (one per variant and language), rendered from the
working copy when a Medical reviewer publishes it, so an edit to a published
article waits as a pending change until then. Glossary terms keep their
published text beside the working copy in the same way.

This module is the ground floor: it imports nothing else from the app, and no
`save()` here sets anything off. All writes go through content/editorial/services.py.
"""

from django.conf import settings
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    ARCHIVED = "archived", _("Archived")


class ReadingLevel(models.TextChoices):
    STANDARD = "standard", _("Standard")
    PLAIN = "plain", _("Plain language")


class ReviewStatus(models.TextChoices):
    UNREVIEWED = "unreviewed", _("Unreviewed: no clinician has reviewed this text")
    CLINICIAN_REVIEWED = "clinician_reviewed", _("Reviewed by a clinician")


class Topic(models.Model):
    slug = models.SlugField(_("slug"), unique=True)
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "slug"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")

    def __str__(self):
        return self.name or self.slug


class SourceDocument(models.Model):
    """A document an article takes its facts from, with the provenance we cite."""

    file_name = models.CharField(_("file name"), max_length=255, unique=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    title = models.CharField(_("title"), max_length=300)
    url = models.URLField(_("URL"), blank=True)
    checksum = models.CharField(_("SHA-256 checksum"), max_length=64, blank=True)
    raw_text = models.TextField(_("text as imported"), blank=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)
    reviewed_by = models.CharField(_("reviewed by (as stated by the source)"), max_length=300, blank=True)
    updated_on = models.DateField(_("page updated on"), null=True, blank=True)
    last_medical_review = models.DateField(_("last medical review"), null=True, blank=True)
    last_revised = models.DateField(_("last revised"), null=True, blank=True)

    class Meta:
        ordering = ["file_name"]
        verbose_name = _("source document")
        verbose_name_plural = _("source documents")

    def __str__(self):
        return f"{self.publisher}: {self.title}" if self.publisher else self.title

    # The dates a source may give about itself, most specific first (queries coalesce them in this order).
    REVIEW_DATE_FIELDS = ("last_medical_review", "updated_on", "last_revised")

    @property
    def review_date(self):
        """The most specific review date the source gives about itself."""
        return next((day for day in (getattr(self, name) for name in self.REVIEW_DATE_FIELDS) if day), None)


class ImportDefect(models.Model):
    """Something the importer found wrong in a source, for an editor to look at."""

    class Kind(models.TextChoices):
        LIST_INTRO_WITHOUT_LIST = "list_intro_without_list", _("List introduction followed by no list")
        MISSING_WORD = "missing_word", _("Sentence with a missing word")
        EMPTY_TIME_RANGE = "empty_time_range", _("Empty time range")
        SECTION_WITHOUT_HEADING = "section_without_heading", _("Section with no heading")
        FURNITURE_REMOVED = "furniture_removed", _("Page furniture removed")
        EDITOR_CONFLICT = "editor_conflict", _("Editor's changes kept; import not applied")

    source = models.ForeignKey(SourceDocument, on_delete=models.CASCADE, related_name="defects")
    kind = models.CharField(_("kind"), max_length=40, choices=Kind.choices)
    message = models.TextField(_("message"))
    excerpt = models.TextField(_("excerpt"), blank=True)
    line = models.PositiveIntegerField(_("line"), null=True, blank=True)

    class Meta:
        ordering = ["source", "line", "pk"]
        verbose_name = _("import defect")
        verbose_name_plural = _("import report")

    def __str__(self):
        return f"{self.get_kind_display()}: {self.excerpt[:60]}"


class Article(models.Model):
    slug = models.SlugField(_("slug"), unique=True, max_length=120)
    topic = models.ForeignKey(Topic, on_delete=models.PROTECT, related_name="articles", verbose_name=_("topic"))
    status = models.CharField(
        _("status"), max_length=20, choices=ArticleStatus.choices, default=ArticleStatus.DRAFT, db_index=True
    )
    sources = models.ManyToManyField(SourceDocument, related_name="articles", blank=True, verbose_name=_("sources"))
    imported_from = models.ForeignKey(
        SourceDocument,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="imported_articles",
        verbose_name=_("imported from"),
        help_text=_("The source document the importer built this article from."),
    )
    import_fingerprint = models.CharField(
        max_length=64,
        blank=True,
        editable=False,
        help_text="Checksum of the text the importer wrote; differs once an editor has changed it.",
    )
    last_reviewed = models.DateField(_("last medical review"), null=True, blank=True)
    next_review = models.DateField(_("next medical review due"), null=True, blank=True)
    published_at = models.DateTimeField(_("first published"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # When anything patients see of the article last changed: the basis of its ETag and Last-Modified.
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)

    # Coded concepts ({system, code, display}; content/clinical_codes.py): `codes` is the working copy a
    # Medical reviewer edits, `live_codes` what patients and partners see, copied at publication.
    codes = models.JSONField(
        _("clinical codes"), default=list, blank=True,
        help_text=_("Coded concepts the article is about. Published with the article, like its text."),
    )
    live_codes = models.JSONField(default=list, blank=True, editable=False, help_text="The codes as last published.")

    history = HistoricalRecords(excluded_fields=["updated_at", "live_codes"])

    class Meta:
        ordering = ["topic__position", "slug"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        permissions = [
            ("submit_article", _("Can submit an article for medical review")),
            ("publish_article", _("Can approve and publish an article, or return it to draft")),
            ("archive_article", _("Can archive an article")),
            ("edit_english", _("Can edit the English (source) text")),
            ("review_translation", _("Can record a clinician's review of a text")),
            ("edit_clinical_codes", _("Can change the clinical codes of articles and glossary terms")),
        ]
        # Every stored list answer is checked against how many articles are published and when the newest
        # changed (content/delivery/selectors.py): this index answers both without reading the table.
        indexes = [models.Index(fields=["status", "updated_at"], name="article_published_newest")]

    def __str__(self):
        return self.slug

    @property
    def has_pending_codes(self):
        """The working copy's codes differ from the published ones (only meaningful once published)."""
        return self.codes != self.live_codes


class DraftOverLive(models.Model):
    """What patients see is `live`; editors change a working copy (Wagtail's DraftStateMixin, in BoneCare's terms).

    An article variant and a glossary term both keep `text_fingerprint` (of the
    working copy), `live_fingerprint` (of the text last published; blank if
    never) and `live_history_id` (the revision last published). The fields stay
    declared on each model, with their own help texts, so the database is as it was.
    """

    class Meta:
        abstract = True

    @property
    def is_live(self):
        """Published at least once."""
        return bool(self.live_fingerprint)

    @property
    def has_pending_changes(self):
        """The working copy differs from what patients see: true of anything with text never published."""
        return self.text_fingerprint != self.live_fingerprint or self.has_pending_codes

    @property
    def has_pending_codes(self):
        """Clinical codes published with the text differ (a variant's are its article's: see Article)."""
        return False


class ArticleVariant(DraftOverLive):
    """One reading level of an article; its text fields are translated."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="variants", verbose_name=_("article"))
    level = models.CharField(_("reading level"), max_length=10, choices=ReadingLevel.choices)
    title = models.CharField(_("title"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    body = models.TextField(
        _("body"),
        blank=True,
        help_text=_(
            "Blocks separated by a blank line. '## ' starts a heading; lines starting with '- ' form a list; "
            "anything else is a paragraph."
        ),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    readability = models.JSONField(
        _("readability of the working copy"), default=dict, blank=True, editable=False,
        help_text="Per language: readability of the text as last saved (published or not).",
    )
    text_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    live_fingerprint = models.CharField(
        max_length=64, blank=True, editable=False, help_text="text_fingerprint of the text last published; blank if never."
    )
    live_history_id = models.BigIntegerField(
        null=True, blank=True, editable=False, help_text="The history record (revision) last published."
    )
    history = HistoricalRecords(excluded_fields=["updated_at", "readability", "text_fingerprint", "live_fingerprint", "live_history_id"])

    class Meta:
        ordering = ["article", "level"]
        constraints = [models.UniqueConstraint(fields=["article", "level"], name="one_variant_per_level")]
        verbose_name = _("article variant")
        verbose_name_plural = _("article variants")

    def __str__(self):
        return f"{self.article.slug} ({self.get_level_display()})"


class Rendition(models.Model):
    """One language of one variant as published: what the API serves, rendered at publication.

    Holding these per language lets a request load only the language it
    serves, and lets counts per language come from one indexed query.
    """

    variant = models.ForeignKey(ArticleVariant, on_delete=models.CASCADE, related_name="renditions")
    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    title = models.CharField(max_length=200, blank=True)
    summary = models.TextField(blank=True)
    search_text = models.TextField(blank=True, help_text="Title, summary and body as plain text, for search.")
    has_body = models.BooleanField(default=True, help_text="False for a translation of the title or summary only.")
    review = models.JSONField(default=dict, help_text="The language's review record as it stood for this text.")
    text_fingerprint = models.CharField(max_length=64, blank=True, help_text="Of the working text it was rendered from.")
    blocks = models.JSONField(default=list)
    glossary = models.JSONField(default=list, help_text="Standoff spans: block, item, start, end, term.")
    readability = models.JSONField(default=dict)
    reading_time_minutes = models.FloatField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["variant", "language"]
        constraints = [models.UniqueConstraint(fields=["variant", "language"], name="one_rendition_per_language")]

    def __str__(self):
        return f"{self.variant} [{self.language}]"


class TranslationReview(models.Model):
    """The review status of one language of one variant.

    A text with no row here is unreviewed: review is something a clinician
    does and records, never a default.
    """

    variant = models.ForeignKey(ArticleVariant, on_delete=models.CASCADE, related_name="reviews")
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)
    status = models.CharField(
        _("review status"), max_length=20, choices=ReviewStatus.choices, default=ReviewStatus.UNREVIEWED
    )
    translated_by = models.CharField(_("written or translated by"), max_length=200, blank=True)
    reviewed_by = models.CharField(_("reviewed by"), max_length=200, blank=True)
    reviewed_on = models.DateField(_("reviewed on"), null=True, blank=True)
    translated_at = models.DateTimeField(_("text last changed"), null=True, blank=True)
    english_basis = models.JSONField(
        _("English it was made from"),
        default=dict,
        blank=True,
        help_text="Per field: the English text this language's text was written from.",
    )
    text_fingerprints = models.JSONField(
        default=dict, blank=True, help_text="Per field: checksum of this language's text when last recorded."
    )
    outdated_fields = models.JSONField(
        _("outdated fields"),
        default=list,
        blank=True,
        help_text="Fields whose English changed after this language's text was written.",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["variant", "language"]
        constraints = [models.UniqueConstraint(fields=["variant", "language"], name="one_review_per_translation")]
        verbose_name = _("translation review")
        verbose_name_plural = _("translation reviews")

    def __str__(self):
        return f"{self.variant} [{self.language}]: {self.get_status_display()}"


class GlossaryTerm(DraftOverLive):
    slug = models.SlugField(_("slug"), unique=True, max_length=80)
    term = models.CharField(_("term"), max_length=120)
    definition = models.TextField(_("definition"))
    plain_definition = models.TextField(_("plain definition"))
    aliases = models.TextField(
        _("other forms"),
        blank=True,
        help_text=_("One per line: plurals, synonyms and other forms to find in article text."),
    )
    other_senses = models.TextField(
        _("phrases in another sense"),
        blank=True,
        help_text=_(
            "One per line: phrases in which these words mean something else, so they are not linked there "
            "(for “stage”: “at every stage of their growth”)."
        ),
    )
    ipa = models.CharField(
        _("pronunciation (IPA)"),
        max_length=200,
        blank=True,
        help_text=_("Leave empty to use eSpeak NG's. Fill in only to correct it, in IPA, e.g. ˌɒstɪəʊsɑːˈkəʊmə."),
    )
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)
    live = models.JSONField(
        default=dict, blank=True, editable=False,
        help_text="The published text per language ({language: {field: text}}); empty until first published.",
    )
    published_at = models.DateTimeField(_("last published"), null=True, blank=True, editable=False)
    text_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    live_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    live_history_id = models.BigIntegerField(null=True, blank=True, editable=False)
    codes = models.JSONField(
        _("clinical codes"), default=list, blank=True,
        help_text=_("Coded concepts the term names. Published with the term, like its text."),
    )
    live_codes = models.JSONField(default=list, blank=True, editable=False, help_text="The codes as last published.")
    history = HistoricalRecords(
        excluded_fields=[
            "updated_at", "live", "published_at", "text_fingerprint", "live_fingerprint", "live_history_id", "live_codes",
        ]
    )

    @property
    def has_pending_codes(self):
        return self.codes != self.live_codes

    class Meta:
        ordering = ["slug"]
        permissions = [("publish_glossaryterm", _("Can publish a glossary term's changes"))]
        verbose_name = _("glossary term")
        verbose_name_plural = _("glossary terms")

    def __str__(self):
        return self.term or self.slug


class StatusChange(models.Model):
    """One step of an article through the review workflow: who, when, why."""

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="status_changes")
    from_status = models.CharField(_("from"), max_length=20, choices=ArticleStatus.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=ArticleStatus.choices)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )
    changed_at = models.DateTimeField(_("when"), default=timezone.now)
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self):
        return f"{self.article}: {self.from_status} → {self.to_status}"


class LanguageAssignment(models.Model):
    """A language a translator may edit."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="language_assignments", verbose_name=_("user")
    )
    language = models.CharField(_("language"), max_length=10, choices=settings.LANGUAGES)

    class Meta:
        ordering = ["user", "language"]
        constraints = [models.UniqueConstraint(fields=["user", "language"], name="one_assignment_per_language")]
        verbose_name = _("language assignment")
        verbose_name_plural = _("language assignments")

    def __str__(self):
        return f"{self.user} → {self.language}"


class ChangeLogEntry(models.Model):
    """One publication, republication or withdrawal, written in the same transaction as the change.

    The id only grows, so "everything after id N" is a complete, ordered
    account of what patients could see change: sync, webhooks and stored
    payloads read this and nothing else.
    """

    class Action(models.TextChoices):
        PUBLISHED = "published", _("Published")
        REPUBLISHED = "republished", _("Republished with changes")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        GLOSSARY_TERM = "glossary_term", _("Glossary term")

    id = models.BigAutoField(primary_key=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    slug = models.CharField(_("slug"), max_length=120, db_index=True)
    article = models.ForeignKey(
        Article, on_delete=models.SET_NULL, null=True, blank=True, related_name="change_log", verbose_name=_("article")
    )
    glossary_term = models.ForeignKey(
        GlossaryTerm, on_delete=models.SET_NULL, null=True, blank=True, related_name="change_log",
        verbose_name=_("glossary term"),
    )
    languages = models.JSONField(_("languages"), default=list)
    levels = models.JSONField(_("levels"), default=list)
    scope = models.JSONField(
        _("languages and levels changed"), default=list,
        help_text=_("Each [language, level] a reader asks for whose served text changed; languages and levels list them."),
    )
    revisions = models.JSONField(
        _("published revisions"), default=dict, help_text=_("Per level (or 'term'): the history record published.")
    )
    at = models.DateTimeField(_("when"), default=timezone.now)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("by")
    )
    comment = models.TextField(_("comment"), blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("change log entry")
        verbose_name_plural = _("change log")

    def __str__(self):
        return f"#{self.id} {self.kind} {self.slug} {self.action}"


class ShippedFingerprint(models.Model):
    """What the shipped-content loader last wrote to one row (or one language of it).

    The loader changes a row only while it still equals what was last
    shipped, so an editor's change is never overwritten by a restart.
    """

    key = models.CharField(max_length=200, unique=True)
    fingerprint = models.CharField(max_length=64)
    shipped_at = models.DateTimeField(default=timezone.now)

    def __str__(self):
        return self.key


class StoredPayload(models.Model):
    """A response body rendered once, stored as JSON and gzip, with the version it was rendered from."""

    key = models.CharField(max_length=255, unique=True, help_text="The request it answers: its absolute URL.")
    scope = models.CharField(max_length=200, db_index=True, help_text="What it depends on, e.g. article:<slug>.")
    version = models.CharField(max_length=255, help_text="The validators' values the body was rendered from.")
    generated_on = models.DateField(help_text="Bodies carry notices that depend on the day.")
    etag = models.CharField(max_length=70)
    last_modified = models.DateTimeField(null=True, blank=True)
    content_language = models.CharField(max_length=35, blank=True)
    body = models.BinaryField()
    body_gzip = models.BinaryField()

    def __str__(self):
        return self.key


class SearchEntry(models.Model):
    """What a reader of one language and level can find: one article or glossary term as it is served.

    Derived from published text only (renditions, a term's `live` text) when it
    is published or withdrawn, with each field's text as served (English where
    it is not translated). `vector` is PostgreSQL's full-text vector of the
    row (NULL on SQLite, which keeps its terms in an FTS5 table beside this one).
    """

    class Kind(models.TextChoices):
        ARTICLE = "article", _("Article")
        GLOSSARY_TERM = "glossary_term", _("Glossary term")

    # SQLite's FTS5 table of each entry's terms (rowid = id), created by migration 0009.
    FTS_TABLE = "content_searchentry_fts"

    kind = models.CharField(max_length=20, choices=Kind.choices)
    slug = models.CharField(max_length=120)
    language = models.CharField(max_length=10, choices=settings.LANGUAGES, help_text="The language readers ask for.")
    level = models.CharField(max_length=10, choices=ReadingLevel.choices)
    article = models.ForeignKey(Article, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    glossary_term = models.ForeignKey(GlossaryTerm, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    title = models.TextField(help_text="An article's title, a term's name.")
    summary = models.TextField(blank=True, help_text="An article's summary, a term's definition at the level.")
    body = models.TextField(blank=True, help_text="An article's body as plain text.")
    aliases = models.TextField(
        blank=True, help_text="A glossary term's other names as published, one per line: searched like its name."
    )
    field_languages = models.JSONField(default=dict, help_text="{field: language its text is in}.")
    has_fallback = models.BooleanField(default=False, help_text="Some field is served in English: not translated.")
    vector = SearchVectorField(null=True)

    class Meta:
        ordering = ["kind", "slug", "language", "level"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "slug", "language", "level"], name="one_search_entry_per_reader")
        ]
        indexes = [models.Index(fields=["language", "level", "kind"], name="search_entry_reader")]

    def __str__(self):
        return f"{self.kind} {self.slug} [{self.language}, {self.level}]"


class AudioReading(models.Model):
    """A published rendition read aloud by eSpeak NG, with its word timings (content/audio/).

    Made in the task queue after a publication, and made again only when
    `spoken_hash` (the text read, the voice, how it is read) changes.
    """

    rendition = models.OneToOneField(Rendition, on_delete=models.CASCADE, related_name="audio")
    spoken_hash = models.CharField(max_length=64, db_index=True)
    voice = models.CharField(max_length=40, help_text="The eSpeak NG voice, e.g. roa/es.")
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    duration_ms = models.PositiveIntegerField()
    words = models.JSONField(default=list)
    synthesis_ms = models.PositiveIntegerField(help_text="How long making it took (speech and encoding).")
    made_at = models.DateTimeField(db_index=True)

    def __str__(self):
        return f"{self.rendition} ({self.duration_ms} ms)"



class SearchWord(models.Model):
    """One word of the search index's vocabulary in one analysis language, derived with the index.

    What a misspelt or half-typed query word is compared with: its typo
    corrections (rapidfuzz, over the vocabulary each process holds in memory per
    published version: content/delivery/search_memory.py) and its
    completions are words readers can actually find. `key` is the word as
    SQLite's FTS5 table indexes it (its stem); `entries` counts the entries
    using it, so a commoner word wins a tie.
    """

    language = models.CharField(max_length=10, choices=settings.LANGUAGES)
    word = models.CharField(max_length=100, help_text="Folded as search folds text (lowercase, no accents).")
    key = models.CharField(max_length=100)
    entries = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["language", "word"]
        constraints = [models.UniqueConstraint(fields=["language", "word"], name="one_search_word_per_language")]

    def __str__(self):
        return f"{self.word} [{self.language}]"


class TermPronunciation(models.Model):
    """A glossary term's published headword in one language, spoken by eSpeak NG (content/audio/pronunciation.py).

    Made in the task queue after the term is published; served by the audio
    endpoint while `spoken_hash` still matches the headword served.
    """

    term = models.ForeignKey(GlossaryTerm, on_delete=models.CASCADE, related_name="pronunciations")
    language = models.CharField(max_length=10, help_text="The language of the headword spoken.")
    spoken_hash = models.CharField(max_length=64, db_index=True)
    voice = models.CharField(max_length=40, help_text="The eSpeak NG voice, e.g. roa/es.")
    content_type = models.CharField(max_length=40)
    data = models.BinaryField()
    size = models.PositiveIntegerField()
    duration_ms = models.PositiveIntegerField()
    made_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["term", "language"], name="one_pronunciation_per_language")]

    def __str__(self):
        return f"{self.term} ({self.language})"
