"""Issue 2 Done-when: Sam (pharmacist) opens Ben's medicines review in Chromium, sees the
opioid + benzodiazepine finding with its source and overrides one finding with a reason;
the physician's schedule preview and the patient's calendar on a phone."""

from __future__ import annotations

from datetime import time
from decimal import Decimal
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize

from painpath.bootstrap import Container
from painpath.services import medications as meds
from tests.conftest import World, context_for
from tests.medication.conftest import add_pharmacist
from tests.medication.test_medication_services import TODAY, ben_regimen, renal
from tests.web.test_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path("test-artifacts")
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def _fits(page: Page, viewport: str) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_browser_pharmacist_reviews_ben_and_overrides_a_finding(
    browser: Browser, live_server: str, world: World, container: Container, viewport: str
) -> None:
    add_pharmacist(container, world)
    ben_regimen(container, world)  # oxycodone + diazepam + gabapentin, CrCl 43.6 mL/min
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server, world.username("sam"))
    page.wait_for_url(f"{live_server}/patients")
    page.goto(f"{live_server}/patients/{world.ben}")
    page.get_by_role("link", name="Open medicines").click()
    page.wait_for_url(f"{live_server}/patients/{world.ben}/medication")
    assert page.get_by_role("heading", name="Medicines review").is_visible()
    finding = page.locator("article.finding", has_text="Interaction: diazepam + oxycodone")
    assert finding.get_by_text("major").first.is_visible()
    assert finding.get_by_text("FDA Drug Safety Communication Aug 2016").is_visible()
    assert page.locator("article.finding", has_text="Renal dose").count() == 0  # 900 <= 1400
    assert page.locator("article.finding", has_text="Naloxone: oxycodone").is_visible()
    # oxycodone 10 mg x 3 = 30 mg/day x 1.5 (CDC 2022) = 45 MME/day
    assert "45" in page.locator(".stat .big", has_text="MME/day").inner_text()
    assert serious_violations(page) == []
    _fits(page, viewport)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"medication-review-{viewport}.png"), full_page=True)

    finding.get_by_text("Acknowledge or override").click()
    reason = finding.get_by_label("Reason (required, recorded in the audit log)")
    reason.fill("Diazepam taper agreed with the GP; naloxone kit supplied")
    finding.get_by_role("button", name="Override").click()
    page.wait_for_load_state("load")
    answered = page.locator("article.finding", has_text="Interaction: diazepam + oxycodone")
    assert answered.get_by_text("overridden").first.is_visible()
    assert answered.get_by_text(
        "Diazepam taper agreed with the GP; naloxone kit supplied"
    ).is_visible()
    assert answered.get_by_text("Sam Costa").is_visible()
    context.close()


def test_browser_physician_previews_a_capped_schedule_on_a_phone(
    browser: Browser, live_server: str, world: World, container: Container
) -> None:
    renal(container, world, "drbo", world.ada, "2.0")  # CrCl 46.5: pregabalin max 300 mg/day
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    sign_in(page, live_server, world.username("drbo"))
    page.wait_for_url(f"{live_server}/patients")
    page.goto(f"{live_server}/patients/{world.ada}/medication/new")
    page.get_by_label("Medicine").select_option("pregabalin")
    page.get_by_label("Target (mg per day)").fill("600")
    page.get_by_label("Session time").fill("10:00")
    page.get_by_role("button", name="Preview schedule").click()
    page.wait_for_load_state("load")
    assert page.get_by_text("Target capped at 300 mg/day").is_visible()
    assert page.get_by_text("peak at 10:00 session").first.is_visible()
    assert serious_violations(page) == []
    _fits(page, "phone")
    page.screenshot(path=str(ARTIFACTS / "medication-new-phone.png"), full_page=True)
    page.get_by_label("Reason for starting (recorded)").fill("Neuropathic arm pain, first line")
    page.get_by_role("button", name="Start medicine").click()
    page.wait_for_url(f"{live_server}/patients/{world.ada}/medication#h-regimen")
    assert page.get_by_role("heading", name="Pregabalin").is_visible()
    context.close()


def test_browser_patient_calendar_on_a_phone(
    browser: Browser, live_server: str, world: World, container: Container
) -> None:
    with container.uow() as uow:
        meds.start_medication(
            uow,
            context_for(container, world, "drbo"),
            world.ada,
            meds.StartOrder(
                drug="pregabalin",
                reason="neuropathic arm pain",
                start_on=TODAY,
                target_daily_dose_mg=Decimal(300),
                purpose="Calms the burning pain in your arm",
                sessions=(meds.SessionInput(at=time(10, 0)),),
            ),
        )
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    sign_in(page, live_server, world.username("ada"))
    page.goto(f"{live_server}/patients/{world.ada}/medication")
    assert page.get_by_role("heading", name="My medicines").is_visible()
    assert page.get_by_text("Calms the burning pain in your arm").is_visible()
    assert page.get_by_text("for physio at 10:00").is_visible()
    assert serious_violations(page) == []
    _fits(page, "phone")
    page.screenshot(path=str(ARTIFACTS / "medication-calendar-phone.png"), full_page=True)
    context.close()
