"""Rehab in a real browser: Tom builds and reorders a programme on a desktop; Ada logs today's
session on a phone-sized viewport and sees it counted; the GMI task runs by keyboard."""

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
    page.screenshot(path=str(ARTIFACTS / f"rehab-{name}-{viewport}.png"), full_page=True)


def _tom_builds_programme(browser: Browser, base: str, world: World, viewport: str) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, base, world.username("tom"))
    page.goto(f"{base}/patients/{world.ada}/rehab")
    page.get_by_role("link", name="Build programme").click()
    page.get_by_role("heading", name="Build a programme").wait_for()
    items = page.locator("li.item h3")
    first, second = items.nth(0).inner_text(), items.nth(1).inner_text()
    # Keyboard: focus the second item's Up button and press Enter.
    page.locator("li.item").nth(1).get_by_role("button", name="Up").focus()
    page.keyboard.press("Enter")
    page.get_by_role("status").filter(has_text="Moved").wait_for(state="attached")
    assert items.nth(0).inner_text().split(". ", 1)[1] == second.split(". ", 1)[1]
    assert items.nth(1).inner_text().split(". ", 1)[1] == first.split(". ", 1)[1]
    if viewport == "desktop":  # drag the second card by its heading above the first (mouse)
        cards = page.locator("li.item")
        page.locator("#h-items").scroll_into_view_if_needed()
        top, below = (cards.nth(i).locator("h3").inner_text().split(". ", 1)[1] for i in (0, 1))
        cards.nth(1).locator(".item-head").drag_to(
            cards.nth(0).locator(".item-head"), target_position={"x": 20, "y": 2}
        )
        assert cards.nth(0).locator("h3").inner_text() == f"1. {below}"
        assert cards.nth(1).locator("h3").inner_text() == f"2. {top}"
    # Add a desensitisation texture from the filtered library.
    page.get_by_label("Category").select_option("desensitisation")
    page.get_by_role("button", name="Filter library").click()
    page.get_by_role("button", name="Add Soft cloth", exact=False).first.click()
    assert serious_violations(page) == []
    _shot(page, "editor", viewport)
    page.get_by_label("Reason for this change").fill("Phase-1 start after assessment")
    page.get_by_role("button", name="Save programme").click()
    page.wait_for_url(f"{base}/patients/{world.ada}/rehab?saved=1")
    assert page.get_by_text("Programme history (1 version)").is_visible()
    assert serious_violations(page) == []
    _shot(page, "clinician", viewport)
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_browser_physio_builds_and_patient_logs_on_phone(
    browser: Browser, live_server: str, world: World, viewport: str
) -> None:
    _tom_builds_programme(browser, live_server, world, viewport)
    context = browser.new_context(viewport=VIEWPORTS["phone"], is_mobile=viewport == "phone")
    page = context.new_page()
    sign_in(page, live_server, world.username("ada"))
    page.goto(f"{live_server}/patients/{world.ada}/rehab")
    page.get_by_role("heading", name="Today's exercises").wait_for()
    assert page.get_by_text("Sessions are counted from the end of the first day").is_visible()
    # Timer: starts and pauses by keyboard.
    timer = page.get_by_role("button", name="Start timer").first
    timer.focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Pause").first.wait_for()
    page.keyboard.press("Enter")
    page.get_by_label("Minutes in total").fill("12")
    page.get_by_label("Pain before (0-10)").select_option("4")
    page.get_by_label("Pain after (0-10)").select_option("5")
    page.get_by_label("How hard was it?").select_option("3")
    assert serious_violations(page) == []
    # (A full-page screenshot before the click makes Chromium drop the click: shots come after.)
    page.get_by_role("button", name="Save session").click()
    page.get_by_text("Saved. Your session is counted").wait_for()
    assert page.get_by_text("Logged today: 1 session, 12 min").is_visible()
    assert page.get_by_text("1 of 1 sessions").is_visible()
    _shot(page, "home", "phone")
    context.close()


def test_browser_gmi_task_by_keyboard(browser: Browser, live_server: str, world: World) -> None:
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    sign_in(page, live_server, world.username("ada"))
    page.goto(f"{live_server}/patients/{world.ada}/rehab/gmi")
    page.get_by_role("button", name="Start").click()
    for n in range(20):
        page.get_by_text(f"Picture {n + 1} of 20").wait_for()
        page.locator(".gmi-picture svg").wait_for()
        if n == 0:
            _shot(page, "gmi", "phone")
        page.keyboard.press("ArrowLeft" if n % 2 else "ArrowRight")
    page.get_by_role("heading", name="Done").wait_for()
    assert page.get_by_text(" of 20 right").is_visible()
    page.reload()
    assert page.locator("table.list tbody tr").count() == 1
    assert serious_violations(page) == []
    context.close()
