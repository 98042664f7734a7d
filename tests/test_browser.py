"""Every page of the rendered book, opened in headless Chromium the way a reader sees it.

The book is built with the same command as `make book` (tests/book_site.py), served on
127.0.0.1 from a thread, and each page in _toc.yml is loaded with Playwright driving the system
Chromium (no browser download). A page fails on: a broken internal link (a page or an anchor of
the site that does not exist), a missing image, unrendered math (``$$`` or ``\\frac`` left in the
text after MathJax ran, a formula MathJax did not typeset or could not parse), or a JavaScript
error (an uncaught exception, a console error, a failed request to the site), a code block
that needs sideways scrolling at 1280 px, or - on a chapter page - a setup cell (Colab install,
imports) shown open or before the chapter's opening text. A screenshot of what a reader sees
first (the 1280 x 900 window) of each page goes to ``_build/screenshots/`` (or
``$GAN_BOOK_SCREENSHOTS``); ``GAN_BOOK_FULL_SCREENSHOTS=1`` takes whole pages instead, which
costs about 1.7 s more a page on two cores.

Skipped when /usr/bin/chromium is absent (install Debian's ``chromium``; .ci/run does).
"""

from __future__ import annotations

import functools
import http.server
import os
import threading
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

from tests.book_site import ROOT, build_book
from tests.test_chapters import _toc_files

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS = Path(os.environ.get("GAN_BOOK_SCREENSHOTS") or ROOT / "_build" / "screenshots")
#: Whole-page screenshots, only when asked: the first screen is what the tests record by default.
FULL_SCREENSHOTS = os.environ.get("GAN_BOOK_FULL_SCREENSHOTS", "") not in ("", "0")
RAW_MATH = ("$$", "\\frac", "\\begin{")

pytestmark = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason=f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) to run "
    f"the browser check of the rendered book",
)


def _toc_pages() -> list[str]:
    """Every page of the table of contents, as its path in the HTML site."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text())
    return [f"{entry}.html" for entry in dict.fromkeys([toc["root"], *_toc_files(toc)])]


PAGES = _toc_pages()


class _Anchors(HTMLParser):
    """Collects every id (and old-style ``<a name>``) of an HTML page."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for key, value in attrs:
            if value and (key == "id" or (tag == "a" and key == "name")):
                self.ids.add(value)


@functools.lru_cache(maxsize=None)
def _anchors(path: Path) -> frozenset[str]:
    parser = _Anchors()
    parser.feed(path.read_text(encoding="utf-8", errors="replace"))
    return frozenset(parser.ids)


def broken_internal_links(html_root: Path, page_url: str, hrefs: list[str]) -> list[str]:
    """The links among ``hrefs`` (absolute URLs) that point into the site at a missing file or
    a missing anchor. Links to other hosts are not checked (that would need a network)."""
    origin = urlsplit(page_url)[:2]
    broken = []
    for href in dict.fromkeys(hrefs):
        url = urlsplit(href)
        if url.scheme not in ("http", "https") or (url.scheme, url.netloc) != origin:
            continue
        target = html_root / unquote(url.path).lstrip("/")
        if target.is_dir():
            target = target / "index.html"
        if not target.is_file():
            broken.append(f"{href} (no such file)")
        elif (
            url.fragment
            and target.suffix == ".html"
            and unquote(url.fragment) not in _anchors(target)
        ):
            broken.append(f"{href} (no anchor #{url.fragment} on {target.relative_to(html_root)})")
    return broken


@pytest.fixture(scope="module")
def site() -> Iterator[tuple[Path, str]]:
    """The built book's HTML folder and the URL it is served at."""
    html = build_book().html
    if not (html / "index.html").exists():
        pytest.fail(f"the book did not build (no {html / 'index.html'}); see test_book_build.py")

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, directory=str(html), **kwargs)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield html, f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    sync_api = pytest.importorskip(
        "playwright.sync_api", reason="playwright is not installed: run `make venv`"
    )
    with sync_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        try:
            yield chromium
        finally:
            chromium.close()


def _offline_miss(message, base: str) -> bool:
    """True for the console's report of a file on another host that could not be loaded: the
    tests run offline, so only the site's own files are checked. (Matplotlib's animations, for
    example, link a Font Awesome stylesheet on a CDN that the page does not need: the theme's own
    Font Awesome draws their buttons.)"""
    url = (message.location or {}).get("url", "")
    return (
        message.text.startswith("Failed to load resource")
        and bool(url)
        and not url.startswith(base)
    )


# Runs in the page after load: lets MathJax finish, then reports what a reader would see wrong.
_INSPECT = """
async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) {
    await MathJax.startup.promise;
  }
  const images = Array.from(document.images);
  await Promise.all(images.map(img => {
    img.loading = "eager";
    return img.decode().catch(() => null);
  }));
  await document.fonts.ready;  // the web fonts that typesetting and icons asked for
  const text = document.body.cloneNode(true);
  text.querySelectorAll("pre, code, script, style, textarea, mjx-container, .MathJax")
    .forEach(n => n.remove());
  return {
    text: text.textContent,
    missingImages: images.filter(img => img.naturalWidth === 0).map(img => img.src),
    untypeset: Array.from(document.querySelectorAll(".math"))
      .filter(el => !el.querySelector("mjx-container") && el.tagName !== "MJX-CONTAINER")
      .map(el => el.textContent.trim().slice(0, 80)),
    mathErrors: Array.from(document.querySelectorAll("mjx-merror"))
      .map(el => (el.getAttribute("data-mjx-error") || el.textContent).slice(0, 120)),
    formulas: document.querySelectorAll("mjx-container").length,
    links: Array.from(document.querySelectorAll("a[href]")).map(a => a.href),
    setupCells: Array.from(
      document.querySelectorAll("div.cell.tag_hide-cell, div.cell.tag_hide-input")
    ).map(cell => {
      const details = cell.querySelector("details");
      const source = cell.querySelector("div.cell_input pre");
      return {
        tag: cell.classList.contains("tag_hide-cell") ? "hide-cell" : "hide-input",
        collapsed: !!details && !details.open && !!source && !source.checkVisibility(),
        source: source ? source.textContent : "",
      };
    }),
    firstContent: (() => {
      const first = Array.from(document.querySelectorAll("article p, article div.cell"))
        .find(el => el.matches("div.cell")
          ? !el.matches(".tag_hide-cell, .tag_hide-input")
          : !el.closest("div.cell"));
      return first ? first.tagName.toLowerCase() : "";
    })(),
    wideCode: (() => {
      // measure collapsed code too, then collapse it again for the screenshot
      const closed = Array.from(document.querySelectorAll("details")).filter(d => !d.open);
      closed.forEach(d => { d.open = true; });
      const wide = Array.from(document.querySelectorAll("div.highlight pre"))
        .filter(pre => !pre.closest(".cell_output") && pre.scrollWidth > pre.clientWidth + 1)
        .map(pre => pre.textContent.split("\\n")
          .reduce((a, b) => (b.length > a.length ? b : a), "").slice(0, 100));
      closed.forEach(d => { d.open = false; });
      return wide;
    })(),
  };
}
"""


def _setup_problems(cells: list[dict], first_content: str) -> list[str]:
    """What is wrong with a chapter page's setup cells: the Colab install cell must be present
    but collapsed (tag hide-cell), the import cell's source collapsed (hide-input), and the
    page's first visible content must be its opening text, not code."""
    problems = []
    install = [c for c in cells if c["tag"] == "hide-cell" and "google.colab" in c["source"]]
    imports = [c for c in cells if c["tag"] == "hide-input" and "import " in c["source"]]
    if not install:
        problems.append("no collapsed (hide-cell) Colab install cell")
    if not imports:
        problems.append("no import cell with its source collapsed (hide-input)")
    problems += [
        f"{c['tag']} cell is shown open: {c['source'][:60]!r}" for c in cells if not c["collapsed"]
    ]
    if first_content != "p":
        problems.append(f"the first visible content is a {first_content or 'nothing'}, not text")
    return problems


@pytest.mark.parametrize("path", PAGES)
def test_page_renders(path: str, site: tuple[Path, str], browser) -> None:
    html, base = site
    assert (html / path).exists(), f"{path} was not built: is it in _toc.yml and does it exist?"
    errors: list[str] = []
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    page.on("pageerror", lambda exc: errors.append(f"uncaught exception: {exc}"))
    page.on(
        "console",
        lambda msg: (
            errors.append(f"console error: {msg.text}")
            if msg.type == "error" and not _offline_miss(msg, base)
            else None
        ),
    )
    page.on(
        "requestfailed",
        lambda req: (
            errors.append(f"request failed: {req.url} ({req.failure})")
            if req.url.startswith(base)
            else None
        ),
    )
    page.on(
        "response",
        lambda res: (
            errors.append(f"HTTP {res.status}: {res.url}")
            if res.url.startswith(base) and res.status >= 400
            else None
        ),
    )
    try:
        # `load`: the page's scripts, styles and images; _INSPECT then waits for what loads
        # after it (MathJax's typesetting and its fonts, lazy images), so no fixed idle wait
        page.goto(base + path, wait_until="load", timeout=60_000)
        seen = page.evaluate(_INSPECT)
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(
            path=str(SCREENSHOTS / (path[: -len(".html")].replace("/", "__") + ".png")),
            full_page=FULL_SCREENSHOTS,
        )
    finally:
        page.close()

    problems = [f"JavaScript: {e}" for e in errors]
    problems += [f"missing image: {src}" for src in seen["missingImages"]]
    problems += [f"math left untypeset: {m!r}" for m in seen["untypeset"]]
    problems += [f"MathJax could not parse: {m!r}" for m in seen["mathErrors"]]
    problems += [f"raw math {raw!r} in the page's text" for raw in RAW_MATH if raw in seen["text"]]
    problems += [
        f"broken link: {b}" for b in broken_internal_links(html, base + path, seen["links"])
    ]
    problems += [f"code block scrolls sideways at 1280 px: {line!r}" for line in seen["wideCode"]]
    if path.startswith("chapters/"):
        problems += _setup_problems(seen["setupCells"], seen["firstContent"])
    assert not problems, f"{path}:\n  " + "\n  ".join(problems)
