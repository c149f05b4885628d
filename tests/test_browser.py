"""The editors' workflow driven through a real Chromium: translate in a tab, submit, approve, serve.

The tabbed translation admin is JavaScript (modeltranslation + jQuery UI) and
has broken with Django upgrades before; only a browser notices. Needs Debian's
`chromium` and `chromium-driver`. Without them the test is skipped, unless
BONECARE_REQUIRE_BROWSER=1 (set by .ci/run), where a missing browser fails.
"""

import json
import os
import shutil
import tempfile
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path

import pytest
from django.contrib.auth.models import Group, User

from content.models import ArticleStatus, LanguageAssignment, StatusChange
from content.editorial.roles import EDITOR, MEDICAL_REVIEWER, ensure_roles
from tests.factories import make_article

CHROMIUM = Path("/usr/bin/chromium")
CHROMEDRIVER = Path("/usr/bin/chromedriver")
PASSWORD = "pw-for-browser-tests-only"
WAIT_SECONDS = 20

# Without the background-networking switches Chromium phones home (updates,
# field trials, sync) and this closed network refuses those connections.
CHROMIUM_SWITCHES = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--window-size=1400,1800",
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def require_browser():
    missing = [str(path) for path in (CHROMIUM, CHROMEDRIVER) if not path.exists()]
    if not missing:
        return
    reason = f"needs {' and '.join(missing)} (apt-get install chromium chromium-driver)"
    if os.environ.get("BONECARE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"BONECARE_REQUIRE_BROWSER=1 but the browser is missing: {reason}")
    pytest.skip(reason)


@pytest.fixture
def browser():
    require_browser()
    os.environ["SE_OFFLINE"] = "1"  # Selenium Manager must never try to download a driver
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    profile = tempfile.mkdtemp(prefix="bonecare-chromium-")
    options = webdriver.ChromeOptions()
    options.binary_location = str(CHROMIUM)
    for switch in (*CHROMIUM_SWITCHES, f"--user-data-dir={profile}"):
        options.add_argument(switch)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})  # CSP violations are reported on the console
    driver = webdriver.Chrome(service=Service(str(CHROMEDRIVER)), options=options)
    yield driver
    driver.quit()
    shutil.rmtree(profile, ignore_errors=True)


@contextmanager
def screenshot_on_failure(driver, name):
    try:
        yield
    except BaseException:
        path = Path(tempfile.gettempdir()) / f"{name}-{int(time.time())}.png"
        driver.save_screenshot(str(path))
        print(f"screenshot of the page at failure ({driver.current_url}): {path}")
        raise


def person(username, role, languages=()):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=role))
    for language in languages:
        LanguageAssignment.objects.create(user=user, language=language)
    return user


def wait_for(driver, condition):
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(driver, WAIT_SECONDS).until(condition)


def visible(css):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions

    return expected_conditions.visibility_of_element_located((By.CSS_SELECTOR, css))


def clickable(css):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions

    return expected_conditions.element_to_be_clickable((By.CSS_SELECTOR, css))


def open_page(driver, url, ready_css):
    driver.get(url)
    return wait_for(driver, visible(ready_css))


def click_and_wait_for_new_page(driver, element, ready_css):
    """Click something that submits a form, then wait for the next page, not the old one."""
    element.click()
    wait_for(driver, left_the_page(element))
    return wait_for(driver, visible(ready_css))


def left_the_page(element):
    """Selenium's staleness_of, also for a node Chromium reports as detached with an inspector error.

    While the next page replaces the old one, Chromium 156 sometimes answers
    "Node with given id does not belong to the document" instead of a stale
    element reference (seen once in CI): the node has left the page all the same.
    """
    from selenium.common.exceptions import StaleElementReferenceException, WebDriverException

    def gone(_driver):
        try:
            element.is_enabled()
        except StaleElementReferenceException:
            return True
        except WebDriverException as error:
            if "does not belong to the document" in str(error):
                return True
            raise
        return False

    return gone


def log_in(driver, base_url, username):
    open_page(driver, f"{base_url}/admin/login/", "#id_username")
    driver.find_element("css selector", "#id_username").send_keys(username)
    driver.find_element("css selector", "#id_password").send_keys(PASSWORD)
    click_and_wait_for_new_page(driver, driver.find_element("css selector", "#login-form [type=submit]"), "#logout-form")


def log_out(driver):
    click_and_wait_for_new_page(driver, driver.find_element("css selector", "#logout-form button"), "#content")


def success_message(driver):
    return wait_for(driver, visible(".messagelist .success")).text


def press_workflow_button(driver, base_url, article, target, comment=""):
    open_page(driver, f"{base_url}/admin/content/article/{article.pk}/change/", "#workflow")
    if comment:
        driver.find_element("css selector", "#id_workflow_comment").send_keys(comment)
    button = wait_for(driver, clickable(f'#workflow button[name="target"][value="{target}"]'))
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", button)
    click_and_wait_for_new_page(driver, button, ".messagelist")
    return success_message(driver)


def fetch_json(url):
    with urllib.request.urlopen(url, timeout=WAIT_SECONDS) as response:
        return response.status, json.load(response)


def test_editor_edits_a_published_article_in_a_tab_and_the_api_waits_for_a_reviewer_to_publish(
    browser, live_server, capsys
):
    started = time.perf_counter()
    ensure_roles()  # a transactional test's flush may have removed the groups
    article = make_article(slug="what-is-bone-cancer", status=ArticleStatus.PUBLISHED, languages=("en", "es"))
    plain = article.variants.get(level="plain")
    person("eddie", EDITOR, languages=("es",))
    person("rita", MEDICAL_REVIEWER)
    new_summary = "Un resumen nuevo y corto sobre el cáncer de hueso."
    base_url = live_server.url

    with screenshot_on_failure(browser, "bonecare-browser-test"):
        log_in(browser, base_url, "eddie")

        open_page(browser, f"{base_url}/admin/content/articlevariant/{plain.pk}/change/", "#articlevariant_form")
        spanish_summary = browser.find_element("css selector", "#id_summary_es")
        assert not spanish_summary.is_displayed(), "the English tab should be the one open at first"
        wait_for(browser, clickable('a[href="#tab_id_summary_es"]')).click()
        wait_for(browser, visible("#id_summary_es"))
        spanish_summary.clear()
        spanish_summary.send_keys(new_summary)
        click_and_wait_for_new_page(browser, browser.find_element("css selector", 'input[name="_save"]'), ".messagelist")
        assert "was changed successfully" in success_message(browser)
        plain.refresh_from_db()
        assert plain.summary_es == new_summary
        # Published text changes only when a Medical reviewer publishes the edit.
        _status, before = fetch_json(f"{base_url}/api/v1/articles/{article.slug}/?lang=es&level=plain")
        assert before["summary"] != new_summary

        log_out(browser)
        log_in(browser, base_url, "rita")
        message = press_workflow_button(browser, base_url, article, "published", comment="Spanish summary checked")
        assert "is now Published" in message

    article.refresh_from_db()
    assert article.status == ArticleStatus.PUBLISHED
    assert StatusChange.objects.filter(article=article).order_by("pk").values_list(
        "changed_by__username", "comment").last() == ("rita", "Spanish summary checked")
    status, served = fetch_json(f"{base_url}/api/v1/articles/{article.slug}/?lang=es&level=plain")
    assert status == 200
    assert served["summary"] == new_summary

    with capsys.disabled():
        print(f"\nbrowser workflow test took {time.perf_counter() - started:.1f}s")


# Redoc draws a "by Redocly" logo from its CDN whatever its options say, and hides it when it fails to load.
# The docs must load nothing from the internet, so the policy blocks it on purpose; nothing else may be.
EXPECTED_BLOCKS = ("https://cdn.redoc.ly/redoc/logo-mini.svg",)


def console_problems(driver):
    """Console errors since the last call, and any Content-Security-Policy violation whatever its level.

    The browser's own request for /favicon.ico (a 404 on pages that name none) is not the page's doing.
    """
    return [
        entry["message"] for entry in driver.get_log("browser")
        if (entry["level"] == "SEVERE" or "Content Security Policy" in entry["message"])
        and "/favicon.ico " not in entry["message"]
        and not any(f"'{url}'" in entry["message"] for url in EXPECTED_BLOCKS)
    ]


@pytest.mark.parametrize("path, ready_css", [
    # Swagger UI has drawn the operations from the schema it fetched.
    ("/api/v1/docs/", "#swagger-ui .opblock"),
    # Redoc has parsed the schema (in its blob: worker) and drawn the operations menu.
    ("/api/v1/redoc/", "[role=menuitem]"),
])
def test_the_docs_work_under_their_content_security_policy(browser, live_server, path, ready_css):
    with screenshot_on_failure(browser, "bonecare-docs-csp"):
        open_page(browser, f"{live_server.url}{path}", ready_css)
        time.sleep(1)  # late console messages (workers, fonts)
        problems = console_problems(browser)
        assert problems == [], "\n".join(problems)


def test_the_tabbed_admin_works_under_its_content_security_policy(browser, live_server):
    ensure_roles()
    article = make_article(slug="what-is-bone-cancer", status=ArticleStatus.PUBLISHED, languages=("en", "es"))
    plain = article.variants.get(level="plain")
    person("eddie", EDITOR, languages=("es",))
    base_url = live_server.url

    with screenshot_on_failure(browser, "bonecare-admin-csp"):
        log_in(browser, base_url, "eddie")
        for url, ready_css in (
            (f"{base_url}/admin/content/articlevariant/{plain.pk}/change/", "#articlevariant_form"),
            (f"{base_url}/admin/content/article/{article.pk}/change/", "#workflow"),
        ):
            open_page(browser, url, ready_css)
            assert browser.find_elements("css selector", ".ui-tabs"), "the translation tabs were not drawn"
            time.sleep(0.5)
            problems = console_problems(browser)
            assert problems == [], f"{url}: " + "\n".join(problems)
        # The tabs still switch (jQuery UI under the policy).
        open_page(browser, f"{base_url}/admin/content/articlevariant/{plain.pk}/change/", "#articlevariant_form")
        wait_for(browser, clickable('a[href="#tab_id_summary_es"]')).click()
        wait_for(browser, visible("#id_summary_es"))
        problems = console_problems(browser)
        assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("role, languages", [(EDITOR, ("es",)), (MEDICAL_REVIEWER, ())])
def test_save_on_the_article_page_works_unchanged_and_changed(browser, live_server, role, languages):
    """The article's own page: Save with nothing changed, then with the next review date changed."""
    ensure_roles()
    article = make_article(slug="what-is-bone-cancer", status=ArticleStatus.PUBLISHED, languages=("en", "es"))
    person("someone", role, languages=languages)
    base_url = live_server.url
    page = f"{base_url}/admin/content/article/{article.pk}/change/"
    _status, published = fetch_json(f"{base_url}/api/v1/articles/{article.slug}/?lang=es")

    with screenshot_on_failure(browser, "bonecare-article-save"):
        log_in(browser, base_url, "someone")
        for next_review in (None, "2031-03-15"):
            open_page(browser, page, "#article_form")
            if next_review:
                field = browser.find_element("css selector", "#id_next_review")
                field.clear()
                field.send_keys(next_review)
            save = browser.find_element("css selector", 'input[name="_save"]')
            browser.execute_script("arguments[0].scrollIntoView({block: 'center'});", save)
            click_and_wait_for_new_page(browser, save, ".messagelist")
            assert "was changed successfully" in success_message(browser)

    article.refresh_from_db()
    assert article.next_review.isoformat() == "2031-03-15"
    _status, served = fetch_json(f"{base_url}/api/v1/articles/{article.slug}/?lang=es")
    assert served["blocks"] == published["blocks"]

SCREENS = {"desktop": (1280, 800), "phone": (390, 844)}
SCREENSHOTS = Path(os.environ.get("BONECARE_SCREENSHOTS") or Path(tempfile.gettempdir()) / "bonecare-screenshots")
SCREENSHOT_PAGES = ("article-list", "article", "dashboard")


def show_as(driver, width, height):
    """The viewport a person has: a phone is emulated as one (touch, device-width layout), not as a narrow window."""
    driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", {
        "width": width, "height": height, "deviceScaleFactor": 1, "mobile": width < 600,
    })


def sideways_scroll(driver):
    return driver.execute_script(
        "var d = document.documentElement; return [d.scrollWidth, d.clientWidth];"
    )


# The outermost elements past the viewport's edge: what to fix when a page scrolls sideways.
STICKING_OUT = """
var w = document.documentElement.clientWidth, out = [];
document.querySelectorAll('body *').forEach(function (e) {
  var r = e.getBoundingClientRect();
  if ((r.right > w + 1 || r.left < -1) && r.width > 0) {
    var p = e.parentElement, pr = p.getBoundingClientRect();
    if (!(pr.right > w + 1 || pr.left < -1)) out.push(e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(r.left) + '-' + Math.round(r.right));
  }
});
return out.join(', ');
"""


def editors_daily_pages(article, variant, review, term):
    return {
        "article-list": ("/admin/content/article/", "#result_list"),
        "article": (f"/admin/content/article/{article.pk}/change/", "#workflow"),
        "reading-level": (f"/admin/content/articlevariant/{variant.pk}/change/", "#articlevariant_form"),
        "dashboard": ("/admin/content/article/dashboard/", ".dashboard-table"),
        "review-table": (f"/admin/content/article/outdated/{review.pk}/", ".outdated-table"),
        "article-changes": (f"/admin/content/article/{article.pk}/changes/", "#content table"),
        "change-log": ("/admin/content/changelogentry/", "#result_list"),
        "glossary": ("/admin/content/glossaryterm/", "#result_list"),
        "glossary-term": (f"/admin/content/glossaryterm/{term.pk}/change/", "#glossaryterm_form"),
    }


def test_the_editors_daily_pages_fit_the_screen_in_every_script(browser, live_server):
    """No page of the daily path scrolls sideways on a laptop or a phone, in English, Arabic (rtl) and Chinese."""
    from django.conf import settings

    from content.editorial import services
    from content.models import ArticleVariant, TranslationReview
    from tests.factories import make_term, set_texts

    ensure_roles()
    every_language = ("en", "es", "fr", "zh-hans", "ar")
    article = make_article(
        slug="chemotherapy-before-and-after-surgery-for-osteosarcoma-in-teenagers", languages=every_language,
    )
    variant = ArticleVariant.objects.get(article=article, level="standard")
    set_texts(variant, "en", summary="Chemotherapy shrinks the tumour before surgery and kills stray cancer cells after it.")
    services.save_variant(variant)
    review = TranslationReview.objects.get(variant=variant, language="es")
    term = make_term("osteosarcoma", en=("osteosarcoma", "A cancer that starts in bone-forming cells.", "A bone cancer."))
    User.objects.create_superuser("sam", password=PASSWORD)
    base_url = live_server.url
    pages = editors_daily_pages(article, variant, review, term)
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    overflowing = []
    with screenshot_on_failure(browser, "bonecare-admin-fits"):
        log_in(browser, base_url, "sam")
        for language in ("en", "ar", "zh-hans"):
            browser.add_cookie({"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "path": "/"})
            for screen, (width, height) in SCREENS.items():
                show_as(browser, width, height)
                for name, (path, ready_css) in pages.items():
                    open_page(browser, base_url + path, ready_css)
                    assert browser.find_element("css selector", "html").get_attribute("lang") == language
                    scroll_width, client_width = sideways_scroll(browser)
                    if scroll_width > client_width:
                        overflowing.append(
                            f"{name} [{language}, {screen}]: {scroll_width}px wide in {client_width}px; "
                            f"sticking out: {browser.execute_script(STICKING_OUT)}"
                        )
                    if name in SCREENSHOT_PAGES:
                        browser.save_screenshot(str(SCREENSHOTS / f"{name}-{language}-{screen}.png"))
    assert overflowing == [], "\n".join(overflowing)


# axe-core, pinned in tests/axe/package.json and installed there by `npm ci` (make test and .ci/run do it when
# node_modules is missing). Without it the test is skipped, or fails under BONECARE_REQUIRE_BROWSER=1.
AXE = Path(__file__).resolve().parent / "axe" / "node_modules" / "axe-core" / "axe.min.js"
AXE_RUN = """
const done = arguments[arguments.length - 1];
axe.run(document, {resultTypes: ["violations"], ...(arguments[0] ? {runOnly: arguments[0]} : {})})
  .then(result => done(result.violations.map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(" "))}))))
  .catch(error => done([{id: "axe-error", nodes: [String(error)]}]));
"""


def require_axe():
    if AXE.exists():
        return AXE.read_text()
    reason = f"needs {AXE} (cd tests/axe && npm ci)"
    if os.environ.get("BONECARE_REQUIRE_BROWSER") == "1":
        pytest.fail(f"BONECARE_REQUIRE_BROWSER=1 but axe-core is missing: {reason}")
    pytest.skip(reason)


def colour_scheme(driver, scheme):
    driver.execute_cdp_cmd(
        "Emulation.setEmulatedMedia", {"features": [{"name": "prefers-color-scheme", "value": scheme}]}
    )


def axe_violations(driver, axe_source, url):
    """axe-core's violations on the document at `url`: every rule in the light colour scheme, and the colour
    rules again in the dark one (the document's own dark styles)."""
    colour_scheme(driver, "light")
    driver.get(url)
    wait_for(driver, visible("h1"))
    driver.execute_script(axe_source)  # through the driver: the document's policy lets no script of its own run
    violations = driver.execute_async_script(AXE_RUN, None)
    colour_scheme(driver, "dark")
    dark = driver.execute_async_script(AXE_RUN, ["color-contrast", "link-in-text-block"])
    return violations + [{**violation, "id": f"{violation['id']} (dark)"} for violation in dark]


def test_every_shipped_text_and_glossary_term_as_html_passes_axe_core(browser, live_server, capsys, settings):
    """All shipped texts (articles x languages x levels) and every glossary term in every language, as the HTML
    documents a browser gets (its own Accept header), have no axe-core violation in either colour scheme."""
    from django.core.management import call_command

    # One browser reads every document, several hundred in all: more than an address's anonymous budget per window
    # on a fast machine (CI met 429 there). The limits are tested in tests/partners/test_limits.py.
    settings.BONECARE_ANONYMOUS_LIMIT = 10**6

    from content.languages import language_codes
    from content.models import Article, GlossaryTerm, ReadingLevel

    axe_source = require_axe()
    call_command("load_content", verbosity=0)
    browser.set_script_timeout(WAIT_SECONDS)
    slugs = sorted(Article.objects.values_list("slug", flat=True))
    terms = sorted(GlossaryTerm.objects.values_list("slug", flat=True))
    assert slugs and terms
    pages = [
        (language, f"/api/v1/articles/{slug}/?lang={language}&level={level}")
        for slug in slugs for language in language_codes() for level in ReadingLevel.values
    ] + [(language, f"/api/v1/glossary/{term}/?lang={language}") for term in terms for language in language_codes()]
    # axe finds what it should here: a page without a language, a title or an image's alt text.
    browser.get("data:text/html,<img src='data:,'>")
    browser.execute_script(axe_source)
    assert {"html-has-lang", "document-title", "image-alt"} <= {v["id"] for v in browser.execute_async_script(AXE_RUN, None)}

    found, counts = {}, {}
    for language, path in pages:
        violations = axe_violations(browser, axe_source, f"{live_server.url}{path}")
        counts[language] = counts.get(language, 0) + len(violations)
        if violations:
            found[path] = violations
    version = browser.execute_script("return axe.version")
    with capsys.disabled():
        texts = len(slugs) * len(ReadingLevel.values)
        print(f"\naxe-core {version}: {len(pages)} documents ({texts} texts and {len(terms)} glossary terms per "
              f"language; colours in light and dark); violations per language: {counts}")
    assert not found, json.dumps(found, indent=1, ensure_ascii=False)
