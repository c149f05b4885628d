"""`Accept: text/html` on an article or a glossary term: an accessible, standalone HTML5 document, stored like the
JSON and answered the same whether stored or built (content/delivery/html_document.py)."""

import base64
import datetime
import hashlib

import lxml.html
import pytest

from content.delivery import html_document
from content.editorial import services
from content.models import Article, StoredPayload
from tests.delivery.test_cache_isolation import fresh_front, unzipped
from tests.factories import make_article, make_source, make_term, run_queued_refreshes, set_texts
from tests.test_front import call

pytestmark = pytest.mark.django_db
HTML = {"HTTP_ACCEPT": "text/html"}
BROWSER = {"HTTP_ACCEPT": "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,*/*;q=0.8"}
FIGURE_BODY = (
    "## ما هو\n\nيبدأ سرطان العظام في العظم. تساعد الخزعة الطبيب على العثور عليه.\n\n"
    "![صورة أشعة لعظم الفخذ](/media/x-ray.png)\n\n- ألم\n- تورم\n\n"
    "Denosumab (Xgeva)\n{lang=en}"
)


@pytest.fixture
def content():
    make_term("biopsy", en=("biopsy", "Removing a bit of tissue to look at it.", "Taking a small piece to test."),
               ar=("الخزعة", "أخذ جزء صغير من نسيج لفحصه.", "أخذ قطعة صغيرة لفحصها."))
    old_source = make_source(title="Bone cancer", publisher="Example Cancer Society",
                             last_medical_review=datetime.date(2015, 3, 2))
    article = make_article("a", languages=("en", "es", "ar"), sources=[old_source])
    variant = article.variants.get(level="plain")
    set_texts(variant, "ar", body=FIGURE_BODY)
    services.save_variant(variant)
    services.publish_article(variant.article)


def document(response):
    assert response.status_code == 200, response.content[:300]
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content.startswith(b"<!DOCTYPE html>")
    return lxml.html.document_fromstring(response.content)


def test_an_arabic_article_is_a_complete_accessible_document(client, content):
    page = document(client.get("/api/v1/articles/a/?lang=ar&level=plain", **HTML))
    json = client.get("/api/v1/articles/a/?lang=ar&level=plain").json()

    root = page.getroottree().getroot()
    assert (root.get("lang"), root.get("dir")) == ("ar", "rtl")
    assert page.findtext(".//title") == json["title"]
    assert [h.text_content() for h in page.iter("h1")] == [json["title"]]
    levels = [int(h.tag[1]) for h in page.iter("h1", "h2", "h3", "h4", "h5", "h6")]
    assert all(later <= earlier + 1 for earlier, later in zip(levels, levels[1:])), levels
    assert not page.xpath("//script") and not page.xpath("//@*[starts-with(name(), 'on')]")
    # Blocks as real elements: the list, the figure with its alt text, the English block marked as English.
    assert [li.text_content() for li in page.xpath("//div[@class='body']/ul/li")] == ["ألم", "تورم"]
    assert page.xpath("//figure/img/@alt") == ["صورة أشعة لعظم الفخذ"]
    english = page.xpath("//div[@class='body']/p[@lang]")
    assert [(p.get("lang"), p.get("dir"), p.text_content()) for p in english] == [("en", "ltr", "Denosumab (Xgeva)")]
    # Every glossary span is a link to its definition, in a definition list on the same page.
    links = page.xpath("//div[@class='body']//a[starts-with(@href, '#')]")
    assert links
    assert [a.text_content() for a in links] == [span["text"] for span in json["glossary"]]
    for link in links:
        target = page.get_element_by_id(link.get("href")[1:])
        assert target.tag == "dt" and target.getparent().tag == "dl" and target.find("dfn") is not None
        assert target.getnext().tag == "dd"
    assert page.xpath("//dl/dd/text()") == [term["definition"] for term in json["glossary_terms"]]
    # The notices (old source, unreviewed translation), as the JSON words them, before the body.
    note = page.xpath("//*[@role='note']")[0]
    assert [p.text_content() for p in note.iter("p")] == [
        *(notice["message"] for notice in json["notices"]), json["review"]["notice"]
    ]
    assert "2015" in note.text_content() and note.getparent().tag == "header"
    # Sources with their attribution, the English title marked as English.
    source = page.xpath("//section[@class='sources']//li")[0]
    assert source.text_content() == json["sources"][0]["attribution"]
    assert [(cite.get("lang"), cite.text_content()) for cite in source.iter("cite")] == [("en", "Bone cancer")]
    # The other level and the other languages, each link in its own language.
    nav = page.xpath("//nav")[0]
    assert [a.get("href") for a in nav.xpath(".//a[not(@hreflang)]")] == [
        json["url"].replace("level=plain", "level=standard")
    ]
    assert {(a.get("hreflang"), a.get("lang"), a.text_content()) for a in nav.xpath(".//a[@hreflang]")} == {
        ("en", "en", "English"), ("es", "es", "español")
    }


def test_a_text_that_fell_back_to_english_says_which_parts_are_in_which_language(client, content):
    make_article("b", languages=("en",), sources=[make_source(title="Osteosarcoma", last_medical_review=datetime.date.today())])
    page = document(client.get("/api/v1/articles/b/?lang=es", **HTML))

    assert page.getroottree().getroot().get("lang") == "en"
    assert page.xpath("//*[@role='note']/@lang") == ["es"]  # the notice, in the reader's language
    assert page.xpath("//section[@class='sources']/@lang") == ["es"]
    assert page.xpath("//section[@class='sources']//cite/@lang") == ["en"]
    assert page.xpath("//nav/@lang") == ["es"] and "Otras versiones de este texto" in page.xpath("//nav")[0].text_content()


def test_the_documents_style_is_allowed_by_its_hash_and_nothing_else_may_run(client, content):
    response = client.get("/api/v1/articles/a/?lang=es", **HTML)
    style = document(response).findtext(".//style")
    digest = base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()

    policy = response["Content-Security-Policy"]
    assert f"style-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "script-src" not in policy
    assert "@media print" in style and "prefers-color-scheme:dark" in style


def test_a_licence_in_the_payload_is_rendered_and_its_absence_is_not_an_error():
    payload = {
        "slug": "a", "title": "T", "summary": "", "url": "https://x.example/api/v1/articles/a/?lang=en&level=plain",
        "language": {"served": "en", "tag": "en", "direction": "ltr", "fallback_fields": []},
        "level": {"served": "plain"}, "review": {"language": "en", "notice": "N."}, "blocks": [], "available": [],
    }
    without = html_document.ArticleDocumentRenderer().render(payload).decode()
    licensed = {**payload, "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"}}
    page = lxml.html.document_fromstring(html_document.ArticleDocumentRenderer().render(licensed))

    assert "license" not in without
    assert page.xpath("//section[@class='license']//a/@href") == ["https://creativecommons.org/licenses/by/4.0/"]
    assert "CC BY 4.0" in page.xpath("//section[@class='license']")[0].text_content()


def test_a_glossary_term_is_a_document_too(client, content):
    page = document(client.get("/api/v1/glossary/biopsy/?lang=ar", **HTML))

    assert page.getroottree().getroot().get("lang") == "ar"
    assert [h.text_content() for h in page.iter("h1")] == ["الخزعة"]
    assert "أخذ جزء صغير من نسيج لفحصه." in page.text_content()
    assert page.xpath("//a[@hreflang='en']/@href")[0].endswith("/api/v1/glossary/biopsy/?lang=en")


def test_language_comes_from_lang_or_accept_language(client, content):
    by_header = document(client.get("/api/v1/articles/a/", HTTP_ACCEPT_LANGUAGE="es-MX, en;q=0.5", **BROWSER))
    by_query = document(client.get("/api/v1/articles/a/?lang=ar", HTTP_ACCEPT_LANGUAGE="es", **BROWSER))

    assert by_header.getroottree().getroot().get("lang") == "es"
    assert by_query.getroottree().getroot().get("lang") == "ar"


def test_errors_stay_json_whatever_was_asked_for(client, content):
    missing = client.get("/api/v1/articles/nope/", **HTML)
    bad_language = client.get("/api/v1/articles/a/?lang=xx", **HTML)

    assert (missing.status_code, missing["Content-Type"]) == (404, "application/json")
    assert missing.json()["error"]["code"] == "article_not_found"
    assert bad_language.status_code == 400 and bad_language["Content-Type"] == "application/json"


@pytest.mark.parametrize("path", [
    "/api/v1/articles/a/?lang=ar&level=plain", "/api/v1/articles/a/", "/api/v1/glossary/biopsy/?lang=ar",
])
@pytest.mark.parametrize("accept", [HTML, BROWSER])
@pytest.mark.parametrize("others", [
    {}, {"HTTP_ACCEPT_ENCODING": "gzip"}, {"HTTP_ACCEPT_LANGUAGE": "ar, fr;q=0.5"},
    {"HTTP_ACCEPT_LANGUAGE": "es", "HTTP_ACCEPT_ENCODING": "gzip, br"}, {"HTTP_ACCEPT_ENCODING": "gzip;q=0"},
])
def test_the_stored_html_answer_is_the_built_one_header_by_header(content, path, accept, others):
    headers = {**accept, **others}
    built = unzipped(call(fresh_front(), path, **headers))  # nothing stored: the view builds it
    assert built[0] == 200 and built[1]["content-type"] == "text/html; charset=utf-8"

    front = fresh_front()
    answers = [unzipped(call(front, path, **headers)) for _ in range(3)]  # built, from storage, from the front
    by_middleware = unzipped(call(front, path, HTTP_ORIGIN="https://x.example", **headers))

    assert answers == [built] * 3
    assert by_middleware[2] == built[2]
    assert {k: v for k, v in by_middleware[1].items() if "access-control" not in k} == built[1]
    if "HTTP_ACCEPT_LANGUAGE" not in others or "lang=" in path:
        assert StoredPayload.objects.filter(key__endswith="#text/html").count() == 1
    # JSON is unchanged beside it, and never the document.
    assert unzipped(call(front, path, **others))[1]["content-type"] == "application/json"


def test_publication_renders_the_stored_document_again(client, content, django_capture_on_commit_callbacks):
    client.get("/api/v1/articles/a/?lang=es", **HTML)
    variant = Article.objects.get(slug="a").variants.get(level="standard")
    set_texts(variant, "es", title="Un título nuevo")
    services.save_variant(variant)

    with django_capture_on_commit_callbacks(execute=True):
        services.publish_article(variant.article)
    run_queued_refreshes()

    row = StoredPayload.objects.get(key="/api/v1/articles/a/?lang=es#text/html")
    assert "<h1>Un título nuevo</h1>" in row.body.decode()
    assert b"Un t\xc3\xadtulo nuevo" in client.get("/api/v1/articles/a/?lang=es", **HTML).content
