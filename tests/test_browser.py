"""A real browser (Debian's Chromium, driven by Playwright) on a built country site:
from disk and from a local server, in programme order, searching in Spanish, with no
request leaving the machine, and no serious accessibility violation (axe-core)."""

import functools
import http.server
import os
import threading
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

from conftest import REPO, build_edition

CHROMIUM = "/usr/bin/chromium"
AXE = REPO / "node_modules/axe-core/axe.min.js"
COUNTRY = "peru"

if not Path(CHROMIUM).exists() and not os.environ.get("REQUIRE_BROWSER"):
    pytest.skip(f"{CHROMIUM} is not installed (Debian package 'chromium'); .ci/run installs it", allow_module_level=True)

from playwright.sync_api import sync_playwright  # noqa: E402


@pytest.fixture(scope="module")
def site(course_build) -> Path:
    return course_build[0]


@pytest.fixture(scope="module")
def browser():
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--no-first-run", "--disable-sync", "--disable-quic", "--allow-file-access-from-files"],
        )
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(site):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site))
    handler.log_message = lambda *args: None
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()


@pytest.fixture(params=["disk", "server"])
def origin(request, site):
    return site.as_uri() if request.param == "disk" else request.getfixturevalue("server")


class RecordedPage:
    """A page that records every request it makes."""

    def __init__(self, browser):
        self.context = browser.new_context()
        self.page = self.context.new_page()
        self.requests: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))

    def close(self):
        self.context.close()


@pytest.fixture
def recorded(browser):
    page = RecordedPage(browser)
    yield page
    page.close()


def module_pages() -> list[str]:
    """The module pages in the order the primary programme teaches them."""
    from toolkit.load import load_project

    edition = build_edition(load_project(REPO), COUNTRY)
    return [page.src_uri.replace(".md", ".html") for page in edition.pages if page.module_id]


def test_programme_order_by_the_next_links_and_nothing_leaves_the_machine(recorded, origin):
    page = recorded.page
    page.goto(f"{origin}/{COUNTRY}/index.html")
    expected = module_pages()
    visited = []
    for _ in expected:
        page.click("a.md-footer__link--next")
        page.wait_for_load_state()
        visited.append(urlsplit(page.url).path.split(f"/{COUNTRY}/", 1)[1])
    assert visited == expected
    local = [u for u in recorded.requests if not u.startswith((origin, "data:", "blob:", "about:"))]
    assert local == [], f"requests leaving the site: {local}"


def search_and_open_the_first_result(page, home: str, words: str) -> None:
    """Type into the site's search box and follow its first result (the search index loads in a worker)."""
    page.goto(home)
    page.click("input.md-search__input")
    page.keyboard.type(words)
    first = page.locator(".md-search-result__item a").first
    first.wait_for(timeout=15000)
    first.click()
    page.wait_for_load_state()


def test_search_in_spanish_lands_on_the_module(recorded, origin):
    page = recorded.page
    search_and_open_the_first_result(page, f"{origin}/{COUNTRY}/index.html", "chantaje")
    landed = unquote(urlsplit(page.url).path)
    assert landed.split(f"/{COUNTRY}/", 1)[1].split("/")[0] in {p.split("/")[0] for p in module_pages()}
    assert "chantaje" in page.locator("article").inner_text().lower()
    leaving = [u for u in recorded.requests if not u.startswith((origin, "data:", "blob:", "about:"))]
    assert leaving == []


def test_no_serious_accessibility_violation_on_any_page(recorded, server, site):
    page = recorded.page
    failures = []
    for html in sorted((site / COUNTRY).rglob("*.html")):
        page.goto(f"{server}/{html.relative_to(site).as_posix()}")
        page.add_script_tag(path=str(AXE))
        violations = page.evaluate("async () => (await axe.run(document, {resultTypes: ['violations']})).violations"
                                   ".filter(v => ['serious', 'critical'].includes(v.impact))"
                                   ".map(v => v.id + ': ' + v.help + ' (' + v.nodes.length + ')')")
        failures += [f"{html.relative_to(site)}: {v}" for v in violations]
    assert failures == []


@pytest.mark.parametrize("country", sorted(p.stem for p in (REPO / "country_profiles").glob("*.yaml") if p.stem != "schema"))
def test_the_legal_tables_read_on_a_phone(browser, site, country):
    from toolkit.words import labels

    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto((site / country / f"{labels('es')['slugs']['legal']}.html").as_uri())
    page.wait_for_load_state("load")
    found = page.evaluate("""() => {
        const shown = [...document.querySelectorAll('.md-typeset table')].flatMap(table =>
            [...table.querySelectorAll(table.hasAttribute('data-stacked') ? 'td' : 'td, th')]);
        const first = document.querySelector('.md-typeset table td');
        return {
            narrow: shown.map(cell => [cell.textContent.trim().slice(0, 40), cell.getBoundingClientRect()])
                         .filter(([, box]) => box.width > 0 && (box.width < 80 || box.right > 390)).map(([text]) => text),
            pageWidth: document.documentElement.scrollWidth,
            scrolling: [...document.querySelectorAll('.md-typeset__scrollwrap')].filter(wrap => wrap.scrollWidth > wrap.clientWidth).length,
            firstLabel: getComputedStyle(first, '::before').content,
            firstHeader: document.querySelector('.md-typeset table th').textContent.trim(),
        };
    }""")
    context.close()
    assert found["narrow"] == [] and found["pageWidth"] <= 390 and found["scrolling"] == 0
    assert found["firstLabel"] == f'"{found["firstHeader"]}"'  # the offence's card names its column: "Conducta"


def test_the_offline_package_opens_from_disk_and_searches(recorded, site, tmp_path):
    import zipfile

    with zipfile.ZipFile(next((site / COUNTRY).glob("*-sin-conexion.zip"))) as archive:
        archive.extractall(tmp_path)
    (folder,) = tmp_path.iterdir()
    origin = folder.as_uri()
    page = recorded.page
    search_and_open_the_first_result(page, f"{origin}/index.html", "chantaje")
    assert page.url.startswith(origin) and "chantaje" in page.locator("article").inner_text().lower()
    leaving = [u for u in recorded.requests if not u.startswith((origin + "/", "data:", "blob:", "about:"))]
    assert leaving == [], f"requests leaving the unzipped folder: {leaving}"
