"""The one-page pre-visit report from the demo clinic: text checked with pdftotext, one page."""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from painpath.bootstrap import Container
from painpath.records.models import Patient, UserAccount
from painpath.services import previsit
from painpath.services.access import actor_for
from painpath.services.context import RequestContext
from painpath.services.demo import seed_demo
from painpath.services.errors import PermissionDenied

NOW = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
needs_poppler = pytest.mark.skipif(shutil.which("pdftotext") is None, reason="poppler missing")


def _ctx(container: Container, username: str) -> RequestContext:
    with container.uow() as uow:
        user = uow.session.scalars(
            select(UserAccount).where(UserAccount.username == username)
        ).one()
        return RequestContext(actor_for(uow, user, now=NOW), "t", lambda: NOW)


@needs_poppler
def test_previsit_report_for_ada_is_one_page_with_scores_map_medicines_alerts(
    container: Container, tmp_path: Path
) -> None:
    with container.uow() as uow:
        seed_demo(uow, now=NOW, patient_count=12)
        ada = uow.session.scalars(select(Patient.id).where(Patient.given_name == "Ada")).first()
    assert ada is not None
    doctor = _ctx(container, "maya.okafor@demo.painpath.org")
    with container.uow() as uow:
        report = previsit.build_report(uow, doctor, ada)
    pdf = tmp_path / "previsit.pdf"
    pdf.write_bytes(previsit.previsit_pdf(report))
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True)
    assert re.search(r"^Pages:\s+1$", info.stdout, re.MULTILINE)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert "Pre-visit report" in text and "Ada Moreno" in text
    # PEG (8+7+8)/3 = 7.7 at referral -> (4+4+5)/3 = 4.3 now: change -3.3 (demo_assessment).
    peg = next(line for line in text.splitlines() if "PEG" in line)
    assert "4.3" in peg and "7.7" in peg and "-3.3" in peg
    assert "clinically significant improvement" in text
    assert "Body map: then and now" in text and "forearm" in text
    assert "Current medicines" in text and "Open alerts" in text
    assert "Review 1" in text  # the next collection point of her episode
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-png", "-r", "70", str(pdf), str(tmp_path / "page")], check=True
        )
        shutil.copy(pdf, Path("/tmp") / "painpath-previsit-test.pdf")
        assert list(tmp_path.glob("page*.png"))


def test_previsit_report_is_for_clinicians(container: Container) -> None:
    with container.uow() as uow:
        seed_demo(uow, now=NOW, patient_count=12)
        ada = uow.session.scalars(select(Patient.id).where(Patient.given_name == "Ada")).first()
    assert ada is not None
    lena = _ctx(container, "lena.fischer@demo.painpath.org")
    with container.uow() as uow, pytest.raises(PermissionDenied):
        previsit.build_report(uow, lena, ada)
