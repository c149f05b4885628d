from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.response import Response

from content.delivery import cache_policy, links, search, search_memory, selectors, serving, suggest, sync
from content.delivery.answers import scopes
from content.delivery.html_document import ArticleDocumentRenderer, GlossaryTermDocumentRenderer
from content.delivery.json_renderer import JSONRenderer
from content.delivery.payloads import article_details
from content.delivery.api import schema
from content.delivery.api.errors import ApiError
from content.delivery.api.filters import ArticleFilter
from content.delivery.api.jsonld_renderer import MEDICAL_WEB_PAGE_REF, MedicalWebPageRenderer
from content.delivery.api.negotiated import NegotiatedView
from content.delivery.api.pagination import PagePagination, SearchPagination
from content.delivery.api.shapes import (
    ArticleDetailSerializer,
    BundleSerializer,
    ArticleListItemSerializer,
    GlossaryTermDetailSerializer,
    GlossaryTermSerializer,
    LanguageSerializer,
    SearchParametersSerializer,
    SearchResultSerializer,
    SuggestionsSerializer,
    SuggestParametersSerializer,
    SyncSerializer,
    TopicWithCountSerializer,
)
from content.languages import describe_language, language_codes
from content.licence import content_license
from content.delivery.preview import InvalidPreviewToken, previewed_article_id, with_working_copy, working_availability
from content.delivery.answers.scopes import PLAUSIBLE_SLUG


def article_not_found(slug):
    return ApiError(
        "article_not_found",
        _("No published article has the slug '%(slug)s'.") % {"slug": slug[:100]},
        status_code=status.HTTP_404_NOT_FOUND,
        details={"slug": slug[:100]},
    )


def term_not_found(slug):
    return ApiError(
        "glossary_term_not_found",
        _("No glossary term has the slug '%(slug)s'.") % {"slug": slug[:100]},
        status_code=status.HTTP_404_NOT_FOUND,
        details={"slug": slug[:100]},
    )


class ArticleListView(NegotiatedView):
    pagination_class = PagePagination
    filterset_class = ArticleFilter
    storable_parameters = ("lang", "level", "page", "page_size")

    scope = scopes.ARTICLE_LIST

    @extend_schema(
        operation_id="articles_list",
        summary="List published articles",
        tags=["articles"],
        description=(
            "Published articles, 20 per page in a stable order (topic, then slug), each with its title and summary "
            "in the negotiated language and level, and what fell back. Filter by `topic`, `level`, `q` and "
            "`updated_since`. Send the ETag back as If-None-Match to get 304 when nothing changed."
        ),
        parameters=schema.cached_parameters(*schema.LIST_PARAMETERS),
        responses=schema.cached_responses(ArticleListItemSerializer(many=True), paginated=True),
    )
    def get(self, request, *args, **kwargs):
        language = request.negotiated.language
        filterset = self.filterset_class(request.query_params, selectors.articles_for_list(language), request=request)
        if not filterset.is_valid():
            raise ApiError(
                "invalid_parameter",
                _("One or more query parameters are invalid."),
                details={"fields": filterset.errors.get_json_data()},
            )
        queryset = filterset.qs
        # A stored list carries the version its row is checked against; a filtered one, the same validators over
        # what it lists.
        validators = (
            scopes.current_version(self.scope_key()) if self.storable else self.scope.version_of(queryset)
        )
        self.pagination_class().check(request, validators["count"])
        return self.answer(
            validators, lambda: self.build_page(queryset, validators["count"]), last_modified=validators["last_modified"]
        )

    def build_page(self, queryset, count):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(queryset, self.request, view=self, count=count)
        items = [serving.serve_list_item(article, self.request.negotiated) for article in page]
        data = ArticleListItemSerializer(items, many=True, context={"request": self.request}).data
        return paginator.paginated(data)


class ArticleDetailView(NegotiatedView):
    # JSON first: a client that accepts anything gets JSON; `Accept: application/ld+json` a schema.org
    # MedicalWebPage, and `Accept: text/html` an accessible document, both rendered from the same payload.
    renderer_classes = [JSONRenderer, MedicalWebPageRenderer, ArticleDocumentRenderer]

    scope = scopes.ARTICLE

    @extend_schema(
        operation_id="articles_retrieve",
        summary="One published article, ready to render",
        tags=["articles"],
        description=(
            "Everything an app needs to render the article accessibly without another request: typed blocks "
            "(never HTML), text direction and BCP 47 tag, reading time, readability against its target, review "
            "status (including whether the translation is unreviewed or out of date), sources with attribution "
            "text, glossary terms as standoff spans with their definitions, and the languages and levels available."
            "\n\nWith `Accept: application/ld+json`: the same article as a schema.org `MedicalWebPage` (JSON-LD), "
            "with its own ETag and the same negotiation, caching and conditional requests. Errors stay JSON."
        ),
        parameters=[schema.ARTICLE_SLUG_PARAMETER, *schema.cached_parameters(schema.PREVIEW_PARAMETER)],
        responses={
            **schema.cached_responses(ArticleDetailSerializer, not_found=True),
            (200, "application/ld+json"): MEDICAL_WEB_PAGE_REF,
            **schema.html_document_response("the article"),
            403: schema.ERROR_403,
        },
    )
    def get(self, request, slug, *args, **kwargs):
        if not PLAUSIBLE_SLUG.match(slug):
            raise article_not_found(slug)
        preview_id = self.preview_article_id(slug)
        if preview_id is not None:
            data = self.build_detail(slug, preview_id)
            self.content_language = data["language"]["served"]
            return Response(data)
        article = selectors.published_article(slug, request.negotiated.language)
        if article is None:
            raise article_not_found(slug)
        response = self.answer(
            scopes.current_version(self.scope_key()),
            lambda: article_details([article], request.negotiated, request)[0],
            last_modified=article.updated_at,
        )
        if response.status_code == 200:
            self.content_language = response.data["language"]["served"]
        return response

    def build_detail(self, slug, preview_id):
        negotiated = self.request.negotiated
        article = selectors.published_article(slug, negotiated.language, preview_id=preview_id)
        if article is None:
            raise article_not_found(slug)
        article = with_working_copy(article)
        return article_details([article], negotiated, self.request, {article.pk: working_availability(article)})[0]

    def preview_article_id(self, slug):
        token = self.request.query_params.get("preview")
        if token is None:
            return None
        try:
            article_id = previewed_article_id(token, slug)
        except InvalidPreviewToken as exc:
            raise ApiError(
                "invalid_preview_token",
                _("This preview link is invalid or has expired. Ask for a new one in the admin."),
                status_code=status.HTTP_403_FORBIDDEN,
            ) from exc
        self.private = True
        return article_id


class LanguageListView(NegotiatedView):
    scope = scopes.REFERENCE

    @extend_schema(
        operation_id="languages_list",
        summary="Content languages and how much is available in each",
        tags=["reference"],
        description="Each language with its names, direction, and per level the published articles available "
        "and how many a clinician has reviewed.",
        parameters=schema.cached_parameters(),
        responses=schema.cached_responses(LanguageSerializer(many=True)),
    )
    def get(self, request, *args, **kwargs):
        version = scopes.current_version(self.scope_key())
        return self.answer(version, self.build, last_modified=version["last_modified"])

    def build(self):
        stats = selectors.language_statistics()
        languages = [{**describe_language(code), **stats[code]} for code in language_codes()]
        return LanguageSerializer(languages, many=True).data


class TopicListView(NegotiatedView):
    scope = scopes.REFERENCE

    @extend_schema(
        operation_id="topics_list",
        summary="Topics, named in the negotiated language",
        tags=["reference"],
        description="Topics to filter articles by, with the number of published articles in each.",
        parameters=schema.cached_parameters(),
        responses=schema.cached_responses(TopicWithCountSerializer(many=True)),
    )
    def get(self, request, *args, **kwargs):
        version = scopes.current_version(self.scope_key())
        return self.answer(
            version, lambda: TopicWithCountSerializer(selectors.topics_with_counts(), many=True).data,
            last_modified=version["last_modified"],
        )


class GlossaryListView(NegotiatedView):
    pagination_class = PagePagination
    storable_parameters = ("lang", "level", "page", "page_size")

    scope = scopes.GLOSSARY

    @extend_schema(
        operation_id="glossary_list",
        summary="Glossary terms in the negotiated language",
        tags=["glossary"],
        description="Every term with its definition and plain definition, 20 per page in slug order, paginated "
        "like the articles; `language.fallback_fields` names any field shown in English because it is not "
        "translated yet.",
        parameters=schema.cached_parameters(*schema.PAGE_PARAMETERS),
        responses=schema.cached_responses(GlossaryTermSerializer(many=True), paginated=True),
    )
    def get(self, request, *args, **kwargs):
        version = scopes.current_version(self.scope_key())
        self.pagination_class().check(request, version["terms"])
        return self.answer(version, lambda: self.build_page(version["terms"]), last_modified=version["terms_published"])

    def build_page(self, count):
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(selectors.glossary_terms_all(), self.request, view=self, count=count)
        terms = [serving.serve_term(term, self.request.negotiated) for term in page]
        return paginator.paginated(GlossaryTermSerializer(terms, many=True).data)


class GlossaryDetailView(NegotiatedView):
    renderer_classes = [JSONRenderer, GlossaryTermDocumentRenderer]

    scope = scopes.GLOSSARY_TERM

    @extend_schema(
        operation_id="glossary_retrieve",
        summary="One glossary term, with the published articles that use it",
        tags=["glossary"],
        description="The term in the negotiated language, and for each published article that links it, the "
        "languages in which it does.",
        parameters=[schema.TERM_SLUG_PARAMETER, *schema.cached_parameters()],
        responses={
            **schema.cached_responses(GlossaryTermDetailSerializer, not_found=True),
            **schema.html_document_response("the term and its definitions"),
        },
    )
    def get(self, request, slug, *args, **kwargs):
        if not PLAUSIBLE_SLUG.match(slug):
            raise term_not_found(slug)
        term = selectors.glossary_term(slug)
        if term is None:
            raise term_not_found(slug)
        version = scopes.current_version(self.scope_key())
        last_modified = max(filter(None, [term.published_at, version["last_modified"]]))
        return self.answer(version, lambda: self.build(term), last_modified=last_modified)

    def build(self, term):
        item = serving.serve_term(term, self.request.negotiated)
        item["articles"] = [
            {"slug": article_slug, "languages": languages}
            for article_slug, languages in selectors.articles_using_term(term.slug).items()
        ]
        return GlossaryTermDetailSerializer(item, context={"request": self.request}).data


class SyncView(NegotiatedView):
    cache_control = cache_policy.REVALIDATE  # an offline app must never hear "no changes" after a publication
    storable_parameters = ("lang", "level", "cursor")

    scope = scopes.SYNC

    @extend_schema(
        operation_id="sync",
        summary="Keep an offline copy up to date: everything once, then only what changed",
        tags=["sync"],
        description=(
            "Without `cursor`: every published article in full and every published glossary term, in the "
            "negotiated language and level, with a `cursor`. With the `cursor` from the previous answer: only the "
            "articles and terms published or changed since in what this language and level serves (an edit of "
            "the Spanish plain text is no delta for English standard; an English edit is one for languages that "
            "fall back to English), in full, and a tombstone for each article withdrawn since. "
            "Store the new `cursor` only after applying the answer; nothing is missed between two syncs.\n\n"
            "An app's sync loop:\n\n"
            "```\n"
            "cursor = storage.get('cursor')            # None on first launch\n"
            "answer = GET /api/v1/sync/?lang=es&level=plain[&cursor=...]\n"
            "for article in answer.articles: storage.put(article.slug, article)\n"
            "for term in answer.glossary: storage.put_term(term.slug, term)\n"
            "for tomb in answer.tombstones: storage.delete(tomb.slug)\n"
            "storage.set('cursor', answer.cursor)\n"
            "```\n\n"
            "A cursor that this API did not issue is answered 400 `invalid_cursor`; one ahead of the server's change "
            "log (for example from another server) 409 `cursor_from_future`: start again without a cursor."
        ),
        parameters=schema.cached_parameters(schema.CURSOR_PARAMETER),
        responses={**schema.cached_responses(SyncSerializer), 409: schema.ERROR_409},
    )
    def get(self, request, *args, **kwargs):
        latest = sync.latest_change_id()
        cursor = request.query_params.get("cursor")
        since = None if cursor is None else self.decode(cursor, latest)
        return self.answer({"latest": latest}, lambda: self.build(since, latest))

    def decode(self, cursor, latest):
        try:
            return sync.issued_cursor_position(cursor, latest)
        except sync.InvalidCursor as exc:
            message = (
                _("This sync cursor is ahead of the server's changes. Sync again without a cursor.")
                if exc.code == "cursor_from_future"
                else _("This is not a sync cursor from this API. Sync again without a cursor.")
            )
            # A cursor from the future is well formed, and the request valid: it conflicts with this
            # server's state (another server, a restored database), which 409 says.
            status_code = status.HTTP_409_CONFLICT if exc.code == "cursor_from_future" else status.HTTP_400_BAD_REQUEST
            raise ApiError(exc.code, message, status_code=status_code, details={"cursor": cursor[:100]}) from exc

    def build(self, since, latest):
        negotiated = self.request.negotiated
        articles = selectors.articles_in_full(negotiated.language)
        terms = selectors.glossary_terms_all()
        tombstones = []
        if since is not None:
            delta = sync.changes_since(since, latest, negotiated.language, negotiated.level)
            articles, terms, tombstones = articles.filter(slug__in=delta.articles), terms.filter(slug__in=delta.terms), delta.tombstones
        body = {
            "cursor": sync.encode_cursor(latest),
            "initial": since is None,
            "articles": article_details(articles, negotiated, self.request),
            "glossary": [serving.serve_term(term, negotiated) for term in terms],
            "tombstones": tombstones,
        }
        return SyncSerializer(body, context={"request": self.request}).data


class BundleView(NegotiatedView):
    cache_control = cache_policy.REVALIDATE
    scope = scopes.BUNDLE

    @extend_schema(
        operation_id="bundle",
        summary="Everything an app needs offline, in one gzip download",
        tags=["sync"],
        description=(
            "Every published article in full, the glossary, topics and languages, in the negotiated language and "
            "level, with a sync `cursor` to continue from. Sent gzip-compressed (`Content-Encoding: gzip`) to "
            "clients that accept it, with an ETag; rendered once per publication and then served as stored bytes."
        ),
        parameters=schema.cached_parameters(),
        responses=schema.cached_responses(BundleSerializer),
    )
    def get(self, request, *args, **kwargs):
        version = scopes.current_version(self.scope_key())
        return self.answer(version, lambda: self.build(sync.latest_change_id()), last_modified=version["last_modified"])

    def build(self, latest):
        negotiated = self.request.negotiated
        stats = selectors.language_statistics()
        body = {
            "cursor": sync.encode_cursor(latest),
            "generated_at": timezone.now(),
            "language": negotiated.language,
            "level": negotiated.level,
            "articles": article_details(selectors.articles_in_full(negotiated.language), negotiated, self.request),
            "glossary": [serving.serve_term(term, negotiated) for term in selectors.glossary_terms_all()],
            "topics": TopicWithCountSerializer(selectors.topics_with_counts(), many=True).data,
            "languages": [{**describe_language(code), **stats[code]} for code in language_codes()],
            "license": content_license(negotiated.language),
        }
        return BundleSerializer(body, context={"request": self.request}).data


class SearchView(NegotiatedView):
    """Articles and glossary terms, ranked, in the served language and level; built per request from the index."""

    pagination_class = SearchPagination
    # The same words typed again are answered from the process's memory until the next publication.
    scope = scopes.PUBLISHED
    held_parameters = ("q", "type", "page", "page_size")

    @extend_schema(
        operation_id="search",
        summary="Search articles and glossary terms in the served language",
        tags=["search"],
        description=(
            "Published articles and glossary terms whose text, as served in the negotiated language and level, "
            "contains words of `q` in any form: plurals, inflections, with or without accents or Arabic vowel "
            "marks, with the Arabic article and a conjunction or preposition before it (ال، وال، بال). The last "
            "word may be unfinished (`metast`); a word of 4 letters or more may have a typo (one, two from 8 "
            "letters: `chemoterapy`); a glossary term's everyday names find it and the articles that use it "
            "(`chemo`, `quimio`, `artificial limb`). Chinese is cut into words and matched by pairs of characters, "
            "so a compound finds its parts (放疗副作用). No word is required except words in double quotes; "
            "results with more of the words come first, then by where they matched (title, then summary, then "
            "body). Common words (the, de, la, …) are ignored. Fields not translated yet are searched in English. "
            "Paginated like the lists; each result says where it matched, with the words to highlight. When "
            "nothing matches, `did_you_mean` gives a corrected query. Each answer carries an ETag; the answer "
            "changes only when something is published or withdrawn."
        ),
        parameters=schema.cached_parameters(*schema.SEARCH_PARAMETERS),
        responses=schema.cached_responses(SearchResultSerializer(many=True), paginated=True),
    )
    def get(self, request, *args, **kwargs):
        parameters = self.valid_parameters(SearchParametersSerializer)
        query, wanted = parameters["q"], parameters.get("type")
        kinds = [search.KINDS[wanted]] if wanted else list(search.KINDS.values())
        version = scopes.current_version(self.scope_key())
        with search_memory.as_of((version["latest"], version["latest_at"])):
            return self.answer(version, lambda: self.build_page(query, kinds))

    def build_page(self, query, kinds):
        request, negotiated = self.request, self.request.negotiated
        hits = search.find(query, negotiated.language, negotiated.level, kinds)
        paginator = self.pagination_class()
        page = paginator.paginate_queryset(hits, request, view=self)
        # Only the page's results are read and highlighted, and only when this page is not held already (a new
        # word found nowhere), which also leaves the serializer unbuilt. A plain list: `.data` would tie the results
        # to the serializer in a cycle only the collector frees.
        data = search.served_page(
            hits, page, query, negotiated,
            lambda results: SearchResultSerializer(many=True, context={"request": request}).to_representation(results),
            links.reversing(request),
        )
        correction = None if hits else search.did_you_mean(query, negotiated.language, negotiated.level, kinds)
        return paginator.paginated(data, did_you_mean=correction)


class SuggestView(NegotiatedView):
    """Titles and glossary terms that start with what the reader has typed; built per request from the index."""

    scope = scopes.PUBLISHED
    held_parameters = ("q",)

    @extend_schema(
        operation_id="search_suggest",
        summary="Suggestions as the reader types",
        tags=["search"],
        description=(
            "Up to 8 published article titles and glossary terms, in the negotiated language and level, that start "
            "with `q` or have a word that does (a term also when one of its everyday names does: `chem` suggests "
            "chemotherapy), each with its URL. Accents and case are ignored. Chinese: one character is enough and "
            "may be anywhere in the title. Fewer than two letters (or one Chinese character), or more than 100 "
            "characters: 400 `invalid_parameter`. Each answer carries an ETag; it changes only when something is "
            "published or withdrawn."
        ),
        parameters=schema.cached_parameters(schema.SUGGEST_QUERY),
        responses=schema.cached_responses(SuggestionsSerializer),
    )
    def get(self, request, *args, **kwargs):
        parameters = self.valid_parameters(SuggestParametersSerializer)
        version = scopes.current_version(self.scope_key())
        negotiated = request.negotiated
        query = parameters["q"]
        with search_memory.as_of((version["latest"], version["latest_at"])):
            return self.answer(version, lambda: SuggestionsSerializer(
                {"query": query, "results": suggest.suggestions(query, negotiated.language, negotiated.level)},
                context={"request": request},
            ).data)
