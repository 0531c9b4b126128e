"""House style for printed documents (ReportLab): the web palette and large, readable type.

Large type throughout because patients such as Ben asked for large text and a printed plan
(product.md personas). Each document chooses its body size; headings keep one look everywhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet

INK = colors.HexColor("#1b2430")
BRAND = colors.HexColor("#0b5c8a")
LINE = colors.HexColor("#b8c2cc")


@dataclass(frozen=True, slots=True)
class TypeScale:
    body_pt: float
    body_leading: float
    h3_pt: float
    h3_leading: float
    small_pt: float
    small_leading: float


PATIENT_LARGE = TypeScale(13, 18, 14, 18, 10.5, 14)
PATIENT_STANDARD = TypeScale(12, 16, 13.5, 17, 10, 13)


def paragraph_styles(scale: TypeScale) -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle(
        "body",
        parent=base["BodyText"],
        fontSize=scale.body_pt,
        leading=scale.body_leading,
        textColor=INK,
    )
    return {
        "title": ParagraphStyle(
            "title", parent=base["Title"], fontSize=22, leading=26, textColor=BRAND, alignment=0
        ),
        "h2": ParagraphStyle(
            "h2", parent=base["Heading2"], fontSize=16, leading=20, textColor=BRAND
        ),
        "h3": ParagraphStyle(
            "h3", parent=base["Heading3"], fontSize=scale.h3_pt, leading=scale.h3_leading
        ),
        "body": body,
        "small": ParagraphStyle(
            "small", parent=body, fontSize=scale.small_pt, leading=scale.small_leading
        ),
    }
