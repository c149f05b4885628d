"""Article details as the API sends them, built for one article or many in a fixed number of queries.

The detail endpoint, sync and the offline bundle all send articles through
here, so an article looks the same wherever an app receives it.
"""

from content.delivery import selectors, serving
from content.delivery.links import article_link


def article_details(articles, negotiated, request, available=None):
    """Serialized detail bodies of `articles` (fetched with selectors.articles_in_full), in order.

    `available` ({article id: {level: [languages]}}) is read from the published renditions unless given (a preview).
    """
    articles = list(articles)
    bodies = {}
    for article in articles:
        variant, _fell_back = serving.choose_variant(article, negotiated.language, negotiated.level)
        bodies[article.pk] = serving.served_text(variant, negotiated.language)["body"][0]
    wanted_terms = {span["term"] for body in bodies.values() if body for span in body.glossary}
    terms = {term.slug: term for term in selectors.glossary_terms(sorted(wanted_terms))}
    if available is None:
        available = selectors.availability([article.pk for article in articles])
    details = []
    for article in articles:
        body = bodies[article.pk]
        linked = sorted({span["term"] for span in (body.glossary if body else [])})
        item = serving.serve_detail(
            article, negotiated, [terms[slug] for slug in linked if slug in terms], available.get(article.pk, {})
        )
        item["status"] = article.status
        item["url"] = article_link(request, article.slug)
        details.append(item)
    return details
