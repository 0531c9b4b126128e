"""The coordinator opens Ada's episode, sends the referral bundle, takes part of the intake
history (saved as she types) and sets a reminder from the filtered worklist; phone and desktop."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from painpath.bootstrap import Container
from tests.conftest import World
from tests.web.test_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path("test-artifacts")
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_episode_browser_referral_intake_and_reminder(
    browser: Browser, live_server: str, world: World, container: Container, size: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[size])
    page = context.new_page()
    sign_in(page, live_server, world.username("lena"))
    page.wait_for_url(f"{live_server}/patients")
    page.goto(f"{live_server}/patients/{world.ada}/episodes")
    page.get_by_label("Referred by").fill("GP")
    page.get_by_role("button", name="Open episode at referral").click()
    expect(page.get_by_role("status")).to_have_text("Episode opened at referral.")
    page.get_by_role("button", name="Send bundle for Referral").click()
    expect(page.get_by_text("referral bundle: 0 of 9 done")).to_be_visible()
    _shot(page, f"episode-{size}")
    assert serious_violations(page) == []
    page.get_by_role("link", name="Intake").first.click()
    page.get_by_label("Sleep").fill("Wakes twice a night with burning pain")
    page.get_by_label("Occupation").focus()  # leaving the field saves it (HTMX on change)
    expect(page.locator("#saved-sleep")).to_contain_text("Saved Sleep")
    page.reload()
    expect(page.get_by_label("Sleep")).to_have_value("Wakes twice a night with burning pain")
    expect(page.get_by_text("1 of 8 sections").first).to_be_visible()
    _shot(page, f"episode-intake-{size}")
    assert serious_violations(page) == []
    page.goto(f"{live_server}/assessments/due")
    page.get_by_role("link", name="Filter by collection point").click()
    page.get_by_label("Collection point").select_option("referral")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("button", name="In app for Ada Moreno").click()
    expect(page.get_by_role("status")).to_contain_text("Reminder set (in app)")
    expect(page.get_by_text("reminders on")).to_be_visible()
    _shot(page, f"episode-worklist-{size}")
    assert serious_violations(page) == []
    context.close()
