"""Teamwork in a real browser: Ada reads the insurer report and approves it, then the physician
can download it (blocked before); team notes, work and resources pages work at phone and desktop
widths without serious accessibility violations."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, Page, expect

from painpath.bootstrap import Container
from painpath.records.enums import Role
from painpath.services import note_templates, resources
from painpath.services import return_to_work as rtw
from painpath.services.resources import FinancialKind, Need
from tests.conftest import PASSWORD, World, context_for

pytestmark = pytest.mark.browser
ARTIFACTS = Path("test-artifacts")
VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


def sign_in(page: Page, base: str, username: str) -> None:
    page.goto(f"{base}/login")
    page.get_by_label("E-mail").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_load_state()


def serious_violations(page: Page) -> list[str]:
    results = Axe().run(page)
    return [
        f"{v['id']}: {v['help']}"
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _setup(container: Container, world: World) -> int:
    doctor = context_for(container, world, "drbo")
    with container.uow() as uow:
        rtw.save_plan(
            uow,
            doctor,
            world.ada,
            rtw.PlanInput(
                work_status=rtw.WorkStatus.OFF_WORK,
                job_title="Warehouse operative",
                employer="Demo employer",
                demands=[("Lifting", "boxes up to 20 kg")],
                restrictions=["No lifting over 5 kg with the right arm."],
                weeks=[rtw.WeekInput(4, 3, "Packing bench"), rtw.WeekInput(6, 5, "Labels")],
            ),
        )
    with container.uow() as uow:
        report = rtw.draft_report(
            uow,
            doctor,
            world.ada,
            recipient="Case manager (demo)",
            period_from=date(2026, 10, 1),
            period_to=date(2026, 11, 26),
        )
    with container.uow() as uow:
        note_templates.add_cosign_rule(
            uow,
            context_for(container, world, "admin"),
            cosigner_role=Role.PHYSICIAN,
            reason="Student notes are co-signed by a physician.",
            author_user_id=world.users["tom"],
        )
    with container.uow() as uow:
        note_templates.write_templated_note(
            uow,
            context_for(container, world, "tom"),
            world.ada,
            "follow-up",
            {"progress": "Better", "adverse_effects": "none reported", "plan": "Continue"},
        )
    lena = context_for(container, world, "lena")
    with container.uow() as uow:
        rid = resources.add_resource(
            uow,
            lena,
            name="Peer Circle (demo)",
            plain_summary="A friendly group of people living with nerve pain.",
            region="North District",
            needs=[Need.SUPPORT_GROUP],
            contact="circle@example.org",
        )
    with container.uow() as uow:
        resources.recommend_resource(uow, lena, world.ada, rid, note="Evenings suit you.")
    with container.uow() as uow:
        resources.add_financial_note(
            uow,
            lena,
            world.ada,
            kind=FinancialKind.ALTERNATIVE,
            text="Ask for the generic medicine.",
            is_cost_effective_alternative=True,
        )
    return report.id


def test_browser_ada_approves_the_report_and_then_staff_can_download_it(
    browser: Browser, live_server: str, world: World, container: Container, tmp_path: Path
) -> None:
    report_id = _setup(container, world)
    staff = browser.new_page()
    sign_in(staff, live_server, world.username("drbo"))
    staff.goto(f"{live_server}/insurer-reports/{report_id}")
    expect(staff.get_by_text("Waiting for the patient's approval").first).to_be_visible()
    expect(staff.get_by_role("link", name="Download the approved report (PDF)")).to_have_count(0)
    blocked = staff.request.get(f"{live_server}/insurer-reports/{report_id}/pdf")
    assert blocked.status == 409

    ada = browser.new_page(viewport=VIEWPORTS["phone"])
    sign_in(ada, live_server, world.username("ada"))
    ada.goto(f"{live_server}/patients/{world.ada}/work")
    ada.get_by_role("link", name="Read it and decide").click()
    expect(ada.get_by_role("heading", name="Report about your progress")).to_be_visible()
    expect(ada.get_by_text("No lifting over 5 kg with the right arm.").first).to_be_visible()
    ada.get_by_label("Comment (optional)").fill("Happy for this to go.")
    ada.get_by_role("button", name="Yes, send this report").click()
    expect(ada.get_by_text("Approved by the patient")).to_be_visible()

    staff.reload()
    with staff.expect_download() as info:
        staff.get_by_role("link", name="Download the approved report (PDF)").click()
    pdf = tmp_path / "report.pdf"
    info.value.save_as(pdf)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    assert "Case manager (demo)" in text and "Release approved by the patient" in text
    ARTIFACTS.mkdir(exist_ok=True)
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            "1",
            "-l",
            "1",
            str(pdf),
            str(ARTIFACTS / "teamwork-report-pdf"),
        ],
        check=True,
    )


@pytest.mark.parametrize("viewport", list(VIEWPORTS))
def test_browser_teamwork_pages_fit_and_are_accessible(
    browser: Browser, live_server: str, world: World, container: Container, viewport: str
) -> None:
    report_id = _setup(container, world)
    ARTIFACTS.mkdir(exist_ok=True)
    pages = {
        "drbo": [
            ("notes", f"/patients/{world.ada}/team-notes?template=follow-up"),
            ("work", f"/patients/{world.ada}/work"),
            ("report", f"/insurer-reports/{report_id}"),
            ("resources", f"/resources?patient={world.ada}"),
            ("patient-resources", f"/patients/{world.ada}/resources"),
        ],
        "ada": [
            ("work", f"/patients/{world.ada}/work"),
            ("report", f"/insurer-reports/{report_id}"),
            ("patient-resources", f"/patients/{world.ada}/resources"),
        ],
    }
    for who, urls in pages.items():
        page = browser.new_page(viewport=VIEWPORTS[viewport])  # type: ignore[arg-type]
        sign_in(page, live_server, world.username(who))
        for name, url in urls:
            page.goto(f"{live_server}{url}")
            page.screenshot(
                path=str(ARTIFACTS / f"teamwork-{who}-{name}-{viewport}.png"), full_page=True
            )
            width = page.evaluate("document.documentElement.scrollWidth")
            assert width <= VIEWPORTS[viewport]["width"], (who, name, width)
            assert serious_violations(page) == [], (who, name)
        page.close()
    doctor = browser.new_page(viewport=VIEWPORTS[viewport])  # type: ignore[arg-type]
    sign_in(doctor, live_server, world.username("drbo"))
    doctor.goto(f"{live_server}/patients/{world.ada}/team-notes")
    expect(doctor.get_by_text("Co-signature pending (physician)")).to_be_visible()
    doctor.get_by_role("button", name="Co-sign this note").click()
    expect(doctor.get_by_text("Co-signed by Drbo")).to_be_visible()
