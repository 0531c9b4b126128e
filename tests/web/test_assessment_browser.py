"""Ada fills part of a questionnaire on her phone, reloads, and her answers are still there."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect

from painpath.bootstrap import Container
from painpath.services import assessments
from tests.conftest import World, context_for
from tests.web.test_browser import serious_violations, sign_in

pytestmark = pytest.mark.browser
ARTIFACTS = Path("test-artifacts")
VIEWPORTS: dict[str, ViewportSize] = {
    "desktop": {"width": 1280, "height": 900},
    "phone": {"width": 390, "height": 844},
}


def _assign_weekly(container: Container, world: World) -> None:
    ctx = context_for(container, world, "lena")
    with container.uow() as uow:
        assessments.assign_bundle(uow, ctx, world.ada, "referral", due_on=date(2026, 3, 4))


def _shot(page: Page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def test_assessment_browser_answers_survive_a_reload(
    browser: Browser, live_server: str, world: World, container: Container
) -> None:
    _assign_weekly(container, world)
    context = browser.new_context(viewport=VIEWPORTS["phone"])
    page = context.new_page()
    sign_in(page, live_server, world.username("ada"))
    page.wait_for_url(f"{live_server}/patients")
    page.goto(f"{live_server}/patients/{world.ada}")
    page.get_by_role("link", name="Open assessments").click()
    _shot(page, "assessment-list-patient-phone")
    page.get_by_role("link", name="Start PHQ-9").click()
    expect(page.get_by_role("heading", name="PHQ-9")).to_be_visible()
    first = page.locator("#card-phq-9-1")
    first.get_by_label("Several days").check()
    expect(page.locator("#saved-phq-9-1")).to_have_text("Saved")
    second = page.locator("#card-phq-9-2")
    second.get_by_label("More than half the days").check()
    expect(page.locator("#saved-phq-9-2")).to_have_text("Saved")
    expect(page.locator("#progress")).to_contain_text("2 of 9")
    assert serious_violations(page) == []
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= VIEWPORTS["phone"]["width"]
    _shot(page, "assessment-fill-phone")
    page.reload()
    expect(page.locator("#card-phq-9-1").get_by_label("Several days")).to_be_checked()
    expect(page.locator("#card-phq-9-2").get_by_label("More than half the days")).to_be_checked()
    expect(page.locator("#progress")).to_contain_text("2 of 9")
    # A failed save never looks saved: the patient is told and can choose again.
    page.route("**/answers", lambda route: route.abort())
    page.locator("#card-phq-9-3").get_by_label("Nearly every day").check()
    expect(page.locator("#saved-phq-9-3")).to_contain_text("Not saved")
    page.unroute("**/answers")
    page.locator("#card-phq-9-3").get_by_label("Several days").check()
    expect(page.locator("#saved-phq-9-3")).to_have_text("Saved")
    expect(page.locator("#progress")).to_contain_text("3 of 9")
    # Stop and resume: the list shows the progress and offers to continue.
    page.get_by_role("link", name="Stop for now").click()
    expect(page.get_by_role("link", name="Continue PHQ-9")).to_be_visible()
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_assessment_browser_clinician_pages_fit_the_screen(
    browser: Browser, live_server: str, world: World, container: Container, viewport: str
) -> None:
    ctx = context_for(container, world, "ada")
    with container.uow() as uow:
        view = assessments.start_assessment(uow, ctx, world.ada, "peg")
    for n, value in ((1, 8), (2, 7), (3, 6)):
        with container.uow() as uow:
            assessments.save_answer(uow, ctx, view.status.id, f"peg-{n}", value)
    with container.uow() as uow:
        assessments.complete_assessment(uow, ctx, view.status.id)
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server, world.username("drbo"))
    page.wait_for_url(f"{live_server}/patients")
    page.goto(f"{live_server}/patients/{world.ada}/assessments")
    expect(page.get_by_role("heading", name="Completed", exact=True)).to_be_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    _shot(page, f"assessment-list-clinician-{viewport}")
    page.get_by_role("link", name="Answers and rule").first.click()
    expect(page.get_by_role("heading", name="Rule and sources")).to_be_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    _shot(page, f"assessment-detail-{viewport}")
    context.close()


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_assessment_browser_body_map_click_and_examination(
    browser: Browser, live_server: str, world: World, viewport: str
) -> None:
    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server, world.username("ada"))
    page.wait_for_url(f"{live_server}/patients")
    page.goto(f"{live_server}/patients/{world.ada}/bodymap")
    page.locator("#draw-r-forearm-ventral-lateral").click()
    expect(page.get_by_label("Area")).to_have_value("r-forearm-ventral-lateral")
    page.get_by_label("Burning").check()
    page.get_by_label("Allodynia (light touch hurts)").check()
    page.get_by_role("button", name="Save this area").click()
    expect(page.get_by_text("Marked so far")).to_be_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    _shot(page, f"bodymap-draft-{viewport}")
    page.get_by_role("button", name="Finish drawing").click()
    expect(page.get_by_text("Drawing saved to the record")).to_be_visible()
    context.close()

    context = browser.new_context(viewport=VIEWPORTS[viewport])
    page = context.new_page()
    sign_in(page, live_server, world.username("drbo"))
    page.wait_for_url(f"{live_server}/patients")
    page.goto(f"{live_server}/patients/{world.ada}/bodymap")
    expect(page.get_by_role("heading", name="Heat map: last 12 months")).to_be_visible()
    assert serious_violations(page) == []
    _shot(page, f"bodymap-heat-{viewport}")
    page.goto(f"{live_server}/patients/{world.ada}/examination")
    for group in (
        "History of a relevant nerve lesion or disease?",
        "Is the pain distribution neuroanatomically plausible?",
        "Was a sensory examination done?",
    ):
        page.get_by_role("group", name=group).get_by_label("Yes").check()
    page.get_by_label("brush-evoked pain (dynamic allodynia)").check()
    page.get_by_role("button", name="Save and grade").click()
    expect(
        page.get_by_role("heading", name="Latest grade: probable neuropathic pain")
    ).to_be_visible()
    assert serious_violations(page) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= VIEWPORTS[viewport]["width"]
    _shot(page, f"examination-{viewport}")
    context.close()


def test_assessment_browser_intake_end_to_end(
    browser: Browser, live_server: str, world: World
) -> None:
    """Coordinator sends the referral bundle; Ada answers the PEG and draws; Dr Bo reads and grades."""
    lena = browser.new_page(viewport=VIEWPORTS["desktop"])
    sign_in(lena, live_server, world.username("lena"))
    lena.wait_for_url(f"{live_server}/patients")
    lena.goto(f"{live_server}/patients/{world.ada}/assessments")
    lena.get_by_label("Collection point").select_option("referral")
    lena.get_by_role("button", name="Send bundle").click()
    expect(lena.get_by_text("Bundle assigned.")).to_be_visible()
    assert lena.locator(".todo-item").count() == 9
    lena.close()

    ada = browser.new_page(viewport=VIEWPORTS["phone"])
    sign_in(ada, live_server, world.username("ada"))
    ada.wait_for_url(f"{live_server}/patients")
    ada.goto(f"{live_server}/patients/{world.ada}/assessments")
    ada.get_by_role("link", name="Start PEG").click()
    for n, value in ((1, "8"), (2, "6"), (3, "7")):
        ada.locator(f"#card-peg-{n}").get_by_label(value, exact=True).check()
        expect(ada.locator(f"#saved-peg-{n}")).to_have_text("Saved")
    ada.get_by_role("button", name="Finish and send").click()
    expect(ada.get_by_text("Thank you.")).to_be_visible()
    ada.goto(f"{live_server}/patients/{world.ada}/bodymap")
    ada.locator("#draw-r-forearm-ventral-lateral").click()
    ada.get_by_label("Burning").check()
    ada.get_by_role("button", name="Save this area").click()
    ada.get_by_role("button", name="Finish drawing").click()
    expect(ada.get_by_text("Drawing saved to the record")).to_be_visible()
    ada.close()

    doctor = browser.new_page(viewport=VIEWPORTS["desktop"])
    sign_in(doctor, live_server, world.username("drbo"))
    doctor.wait_for_url(f"{live_server}/patients")
    doctor.goto(f"{live_server}/patients/{world.ada}")
    # PEG = (8 + 6 + 7) / 3 = 7; 8 referral questionnaires still open
    expect(doctor.get_by_text("PEG 7")).to_be_visible()
    expect(doctor.get_by_text("8 questionnaires open")).to_be_visible()
    doctor.goto(f"{live_server}/patients/{world.ada}/examination")
    expect(doctor.get_by_text("C6 dermatome (right)")).to_be_visible()
    for group in (
        "History of a relevant nerve lesion or disease?",
        "Is the pain distribution neuroanatomically plausible?",
        "Was a sensory examination done?",
    ):
        doctor.get_by_role("group", name=group).get_by_label("Yes").check()
    doctor.get_by_label("reduced pinprick sensation").check()
    doctor.get_by_label("Confirmatory diagnostic test").select_option("confirms-lesion")
    doctor.get_by_role("button", name="Save and grade").click()
    expect(
        doctor.get_by_role("heading", name="Latest grade: definite neuropathic pain")
    ).to_be_visible()
    doctor.close()
