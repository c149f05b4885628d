"""How long a client, or a cache in between, may reuse an answer: the one policy, declared here.

Medical text is corrected and withdrawn. A standards-following cache (RFC 9111:
a phone's HTTP cache, a CDN, a proxy) reuses a response for `max-age`, then
may serve it stale for `stale-while-revalidate` while it asks again (RFC 5861):
together at most CONTENT_REUSE_SECONDS, so a publication reaches every reader
within a minute. `stale-if-error` keeps the last text a reader had while the
server cannot be reached: better than nothing to a patient, and it never
hides a publication the server could have sent.

Sync and bundle are what an offline app keeps: `no-cache` makes every use
revalidate (a 304 costs one query), so an app never hears "no changes" after
a publication. Every answer of the API names one of these; nothing else sets
Cache-Control (deploy/nginx keeps no copy of API answers).
"""

CONTENT_MAX_AGE = 30
CONTENT_STALE_WHILE_REVALIDATE = 30
CONTENT_REUSE_SECONDS = CONTENT_MAX_AGE + CONTENT_STALE_WHILE_REVALIDATE  # at most 60
STALE_IF_ERROR = 86400

# Articles, lists, glossary, topics, languages, search, the index, the schema, the terms of use.
CONTENT = (
    f"public, max-age={CONTENT_MAX_AGE}, stale-while-revalidate={CONTENT_STALE_WHILE_REVALIDATE}, "
    f"stale-if-error={STALE_IF_ERROR}"
)
# Sync and bundle: stored, but checked with the server (ETag, Last-Modified) on every use.
REVALIDATE = "public, no-cache"
# A preview of unpublished text: never kept anywhere.
PRIVATE = "private, no-store"
# Errors, 429, 401, 503: never kept, so a retry always reaches the server.
NEVER = "no-store"


def for_answer(policy, status_code):
    """The Cache-Control of an answer with this status from a view whose policy is `policy`: a 200 or 304 keeps
    the view's, anything else is never kept. Built answers, stored ones and plain views all send this."""
    return policy if status_code in (200, 304) else NEVER


def with_policy(policy):
    """A view decorator that sends `policy` on its 200 and 304 answers (for views not built on NegotiatedView)."""

    def decorate(view):
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            response["Cache-Control"] = for_answer(policy, response.status_code)
            return response

        wrapped.__name__ = getattr(view, "__name__", "view")
        wrapped.__doc__ = view.__doc__
        for name in ("view_class", "view_initkwargs", "csrf_exempt", "cls", "initkwargs"):
            if hasattr(view, name):
                setattr(wrapped, name, getattr(view, name))
        return wrapped

    return decorate
