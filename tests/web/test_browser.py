"""A clinician signs in and opens a patient in a real browser, on desktop and phone widths."""

from __future__ import annotations

from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page

from tests.conftest import PASSWORD, World

pytestmark = pytest.mark.browser
ARTIFACTS = Path("test-artifacts")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/patients")
    page.get_by_label("E-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_browser_clinician_signs_in_and_opens_a_patient(
    browser: Browser, live_server: str, world: World, viewport: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server, world.username("drbo"))
    page.wait_for_url(f"{live_server}/patients")
    assert page.get_by_role("link", name="Ada Moreno").is_visible()
    assert page.get_by_role("link", name="Ben Hughes").count() == 0  # Team B's patient
    assert serious_violations(page) == []
    page.get_by_role("link", name="Ada Moreno").click()
    page.wait_for_url(f"{live_server}/patients/{world.ada}")
    assert page.get_by_role("heading", name="Ada Moreno").is_visible()
    assert page.get_by_role("heading", name="Injury").is_visible()
    assert serious_violations(page) == []
    # No horizontal scrolling on a phone: the page fits its viewport.
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS[viewport]["width"]
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"patient-{viewport}.png"), full_page=True)
    context.close()


def test_browser_clinician_adds_a_note_that_the_team_sees(
    browser: Browser, live_server: str, world: World
) -> None:
    page = browser.new_page()
    sign_in(page, live_server, world.username("drbo"))
    page.goto(f"{live_server}/patients/{world.ada}")
    page.get_by_text("Add a note").click()
    page.get_by_label("Title").fill("Follow-up")
    page.get_by_role("textbox", name="Note").fill("Sleep improving; continue pacing plan.")
    page.get_by_role("button", name="Save note").click()
    assert page.get_by_role("heading", name="Follow-up").is_visible()
    page.close()


def test_browser_patient_search_filters_as_you_type(
    browser: Browser, live_server: str, world: World
) -> None:
    page = browser.new_page()
    sign_in(page, live_server, world.username("lena"))
    page.wait_for_url(f"{live_server}/patients")
    assert page.get_by_role("link", name="Ben Hughes").is_visible()
    page.get_by_label("Find a patient").fill("moreno")
    page.get_by_role("link", name="Ben Hughes").wait_for(state="detached")
    assert page.get_by_role("link", name="Ada Moreno").is_visible()
    page.close()
