"""Ada records her diary on a phone-sized screen, including with the connection down."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.conftest import World
from tests.web.test_browser import ARTIFACTS, serious_violations, sign_in

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}


def _fits(page: Page) -> bool:
    return int(page.evaluate("document.documentElement.scrollWidth")) <= PHONE["width"]


def test_browser_patient_records_a_diary_entry_on_a_phone(
    browser: Browser, live_server: str, world: World
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, world.username("ada"))
    page.wait_for_url(f"{live_server}/patients*")
    page.goto(f"{live_server}/me")
    expect(page.get_by_role("heading", name="My day")).to_be_visible()
    assert serious_violations(page) == []
    assert _fits(page)
    page.get_by_text("6", exact=True).click()  # the pain chip
    page.locator("label[for=sleep-4]").click()
    page.get_by_label("Active minutes today").fill("30")
    page.get_by_label("I am having a flare").check()
    page.get_by_label("What set the flare off?").fill("vacuuming")
    page.get_by_role("button", name="Save entry").click()
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible()
    today = page.locator("#today-card")
    expect(today).to_contain_text("pain 6/10")
    expect(today).to_contain_text("flare: vacuuming")
    # The draft kept on the phone is gone once the server has the entry.
    assert page.evaluate(f"localStorage.getItem('painpath-diary-{world.ada}')") is None
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "portal-me-phone.png"), full_page=True)

    page.goto(f"{live_server}/patients/{world.ada}/diary")
    expect(page.get_by_role("img", name="Pain (0-10), daily average")).to_be_visible()
    assert serious_violations(page) == []
    assert _fits(page)
    page.goto(f"{live_server}/patients/{world.ada}/journal")
    assert serious_violations(page) == []
    page.goto(f"{live_server}/patients/{world.ada}/reminders")
    assert serious_violations(page) == []
    # A lesson, read to the end.
    page.goto(f"{live_server}/lessons")
    assert serious_violations(page) == []
    page.get_by_role("link", name="My flare plan").click()
    expect(page.get_by_role("heading", name="My flare plan")).to_be_visible()
    assert serious_violations(page) == []
    assert _fits(page)
    page.get_by_role("button", name="I have finished this lesson").click()
    card = page.locator("li.card", has=page.get_by_role("link", name="My flare plan"))
    expect(card).to_contain_text("done")
    context.close()


def test_browser_diary_entry_typed_offline_is_sent_once_when_back_online(
    browser: Browser, live_server: str, world: World, tmp_path: Path
) -> None:
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    sign_in(page, live_server, world.username("ada"))
    page.wait_for_url(f"{live_server}/patients*")
    page.goto(f"{live_server}/me")
    page.get_by_text("3", exact=True).click()
    page.get_by_label("Active minutes today").fill("15")
    context.set_offline(True)
    page.get_by_role("button", name="Save entry").click()
    banner = page.locator("#pending-banner")
    expect(banner).to_contain_text("Not sent yet")
    # Closing the tab and coming back must not lose it: it waits on the phone.
    pending = page.evaluate(f"localStorage.getItem('painpath-diary-{world.ada}-pending')")
    assert pending is not None and '"pain_nrs": "3"' in pending.replace('":"', '": "')
    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")  # or the 5-second retry
    expect(page.get_by_role("status").filter(has_text="Saved.")).to_be_visible(timeout=20_000)
    expect(page.locator("#today-card")).to_contain_text("pain 3/10")
    # Reloading and re-sending nothing more: exactly one entry.
    page.reload()
    assert page.locator("#today-card li").count() == 1
    context.close()
