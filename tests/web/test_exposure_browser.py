"""Exposure in a real browser: Tom builds Ada's fear hierarchy, desensitisation ladder and starts
GMI; Ada records an exposure trial on a phone-sized viewport and sees it saved. Screenshots at
390 and 1280 px; no sideways scrolling; no serious axe violations."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from tests.conftest import World
from tests.web.test_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path("test-artifacts")
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def _shot(page: Page, name: str, viewport: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"], f"{name} scrolls sideways on {viewport}"
    page.screenshot(path=str(ARTIFACTS / f"exposure-{name}-{viewport}.png"), full_page=True)


def _tom_sets_up(browser: Browser, base: str, world: World, viewport: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, base, world.username("tom"))
    page.goto(f"{base}/patients/{world.ada}/exposure")
    page.get_by_role("heading", name="Graded exposure", exact=True).wait_for()
    for n, (label, fear) in enumerate(
        (("Lifting my daughter", "80"), ("Carrying boxes", "55"), ("Riding pillion", "95"))
    ):
        page.get_by_label(f"Activity {n + 1}", exact=True).fill(label)
        page.locator(f"#fear_{n}").fill(fear)
    page.get_by_role("button", name="Save hierarchy").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    assert page.locator("li[aria-current=step]").first.inner_text().startswith("55")
    page.get_by_label("Silk").fill("1")
    page.get_by_label("Terry towel").fill("3")
    page.get_by_label("Corduroy").fill("6")
    page.get_by_role("button", name="Save ratings").click()
    page.get_by_role("status").filter(has_text="Saved").wait_for()
    page.get_by_label("Reason (kept in the audit log)").fill(
        "Allodynia; slow right-hand judgements"
    )
    page.get_by_role("button", name="Record decision").click()
    page.get_by_text("1. Left/right judgement").first.wait_for()
    assert serious_violations(page) == []
    _shot(page, "clinician", viewport)
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_browser_ada_records_an_exposure_trial_on_a_phone(
    browser: Browser, live_server: str, world: World, viewport: str
) -> None:
    _tom_sets_up(browser, live_server, world, viewport)
    context = browser.new_context(viewport=VIEWPORTS[viewport], is_mobile=viewport == "phone")
    page = context.new_page()
    sign_in(page, live_server, world.username("ada"))
    page.goto(f"{live_server}/patients/{world.ada}/exposure")
    page.get_by_text("Your step now").wait_for()
    assert "Carrying boxes" in page.locator(".now").first.inner_text()
    page.get_by_label("How afraid did you expect to be?").fill("70")
    page.get_by_label("How much pain did you expect?").fill("6")
    page.get_by_label("How afraid were you really?").fill("40")
    page.get_by_label("How much pain did you have?").fill("5")
    page.get_by_label("What did you notice?").fill("Two boxes from the car")
    assert serious_violations(page) == []
    page.get_by_role("button", name="Save my try").click()
    page.get_by_text("Saved. Thank you").wait_for()
    assert page.get_by_text("expected fear 70, really 40").is_visible()
    assert page.get_by_text("Use now: Terry towel").is_visible()
    _shot(page, "patient", viewport)
    context.close()
