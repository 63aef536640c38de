"""A real Chromium (Debian's, never a downloaded one) driven by Playwright against a live server.

Every page a browser test shows is checked with axe-core (installed from npm by ``make test``):
a serious or critical accessibility violation fails the test, whatever the test is about.
"""

from pathlib import Path

import pytest

from tests.conftest import require

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

AXE_JS = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"

#: The impacts that fail a test; "moderate" and "minor" findings are advice.
FAILING_IMPACTS = ("serious", "critical")

#: Elements that Django's own admin scripts draw and the portal cannot change: SelectFilter2.js
#: puts an aria-label on a role-less <span> icon inside the filter box's label (Django 5.2).
UPSTREAM_EXCLUDED = [".selector .search-label-icon"]

# preload: false: to read @import-ed stylesheets (the admin's) axe copies them into <style> elements,
# which the strict Content-Security-Policy refuses with a console error the CSP tests count. Only the
# css-orientation-lock rule needs them, and it is skipped.
# Marks the document as checked, so each document is checked once however many steps look at it;
# a new document (a navigation) starts without the mark.
RUN_AXE = """async ([impacts, excluded]) => {
    const results = await axe.run({exclude: excluded}, {resultTypes: ["violations"], preload: false});
    window.__a11yChecked = true;
    return results.violations
        .filter((v) => impacts.includes(v.impact))
        .map((v) => ({id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map((n) => n.target.join(" "))}));
}"""

#: Page calls after which the browser shows what the test goes on to read: check that document.
SETTLING_CALLS = frozenset(
    {"goto", "reload", "go_back", "go_forward", "wait_for_url", "wait_for_load_state", "wait_for_selector"}
)


class AccessiblePage:
    """A Playwright page that runs axe-core on each document it shows.

    A document is checked after a call that waits for the page to settle (``goto``,
    ``wait_for_url``…), before any other call on the page (so a page reached by clicking a
    locator is checked at the test's next step), and once more when the test ends.
    Violations raise ``AssertionError`` at once; with ``collect_violations = True`` they are
    gathered in ``violations`` for the test to report together (a crawl over many pages).

    ``raw`` is the Playwright page itself, for calls that must not check.

    axe is injected with ``evaluate``, which the devtools protocol runs outside the page's
    Content-Security-Policy, so the portal's strict policy needs no exception for the tests.
    """

    def __init__(self, page, axe_source: str):
        self.__dict__.update(raw=page, _axe=axe_source, violations=[], collect_violations=False)

    def __getattr__(self, name):
        attribute = getattr(self.raw, name)
        if not callable(attribute):
            return attribute

        def call(*args, **kwargs):
            if name in SETTLING_CALLS:
                result = attribute(*args, **kwargs)
                self.check_accessibility()
                return result
            self.check_accessibility()
            return attribute(*args, **kwargs)

        return call

    def __setattr__(self, name, value):
        if name in self.__dict__:
            self.__dict__[name] = value
        else:
            setattr(self.raw, name, value)

    def check_accessibility(self) -> None:
        from playwright.sync_api import Error

        page = self.raw
        if page.url.startswith("about:"):
            return
        try:
            found = self._run_axe()
        except Error as error:
            # The document went away while axe ran (the test's last click is navigating): check
            # the next one instead, once it has loaded.
            if "context was destroyed" not in str(error):
                raise
            found = self._run_axe()
        if found is None:
            return
        problems = [f"{page.url}: {v['impact']} {v['id']} ({v['help']}) at {', '.join(v['nodes'][:5])}" for v in found]
        self.violations.extend(problems)
        if problems and not self.collect_violations:
            raise AssertionError("Accessibility violations (axe-core):\n" + "\n".join(problems))

    def _run_axe(self) -> list | None:
        page = self.raw
        page.wait_for_load_state("load")
        if page.evaluate("window.__a11yChecked === true"):
            return None
        if not page.evaluate("typeof window.axe === 'object'"):
            page.evaluate(self._axe)
        return page.evaluate(RUN_AXE, [list(FAILING_IMPACTS), UPSTREAM_EXCLUDED])


@pytest.fixture(scope="session")
def axe_source():
    require(AXE_JS.exists(), f"axe-core ({AXE_JS.relative_to(AXE_JS.parents[2])}: `make test` runs npm ci)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture
def browser(chromium_path, axe_source, monkeypatch):
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls a test makes
    # between browser steps are still plain synchronous calls.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=chromium_path, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture
def new_page(browser, axe_source):
    """Opens pages in fresh browser contexts (each its own cookies: one per signed-in user),
    all checked by axe-core; the contexts close when the test ends."""
    pages = []

    def open_page(locale="en-GB", width=1280, height=900) -> AccessiblePage:
        context = browser.new_context(locale=locale, viewport={"width": width, "height": height})
        page = context.new_page()
        page.set_default_timeout(15_000)
        pages.append(AccessiblePage(page, axe_source))
        return pages[-1]

    yield open_page
    try:
        for page in pages:
            if not page.raw.is_closed():
                page.check_accessibility()
    finally:
        for page in pages:
            page.raw.context.close()


@pytest.fixture
def page(new_page):
    return new_page()
