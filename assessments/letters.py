"""The charge letter: the HTML body shown and printed in the browser, and the same letter as a PDF
(reportlab), addressed to the client, with the weekly charge, the date it starts, the line-by-line
breakdown and how to ask for a review. Takes a complete assessment and its stored result; no queries
beyond the assessment's own client, organisation and completing officer."""

from io import BytesIO
from xml.sax.saxutils import escape

from django.template.loader import render_to_string
from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

from core.money import format_money

BLACK = colors.HexColor("#0b0c0c")  # GOV.UK text colour
GREY_BORDER = colors.HexColor("#b1b4b6")

REVIEW_TEXT = (
    "You can ask us to review the charge. Contact {organisation} within one month of this letter and tell us "
    "what you think is wrong, for example if your income or costs have changed or a cost has been missed. "
    "We will look at it again and write to you. You can ask someone to help you, such as a family member or "
    "an advice service."
)


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _text(value) -> str:
    return escape(str(value or ""))


def letter_html(*, assessment) -> str:
    """The letter's body as shown on the printable page (kept word for word once issued)."""
    return render_to_string(
        "assessments/includes/_letter_body.html",
        {"assessment": assessment, "client": assessment.client, "result": assessment.result},
    )


def _styles() -> dict[str, ParagraphStyle]:
    base = getSampleStyleSheet()
    body = ParagraphStyle("Body", parent=base["Normal"], fontName="Helvetica", fontSize=11, leading=15, textColor=BLACK)
    return {
        "body": body,
        "small": ParagraphStyle("Small", parent=body, fontSize=9.5, leading=12.5),
        "cell_right": ParagraphStyle("CellRight", parent=body, fontSize=9.5, leading=12.5, alignment=TA_RIGHT),
        "title": ParagraphStyle(
            "Title", parent=body, fontName="Helvetica-Bold", fontSize=20, leading=25, spaceBefore=6, spaceAfter=8
        ),
        "heading": ParagraphStyle(
            "Heading", parent=body, fontName="Helvetica-Bold", fontSize=14, leading=18, spaceBefore=10, spaceAfter=4
        ),
        "charge": ParagraphStyle("Charge", parent=body, fontName="Helvetica-Bold", fontSize=16, leading=21),
    }


def _table(rows, widths, *, header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, repeatRows=1 if header else 0)
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, GREY_BORDER),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style.append(("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"))
    table.setStyle(TableStyle(style))
    return table


def letter_story(*, assessment) -> list:
    """The letter's flowables, in reading order (the PDF is this story laid out on A4)."""
    client, result, s = assessment.client, assessment.result or {}, _styles()
    bold = ParagraphStyle("Bold", parent=s["small"], fontName="Helvetica-Bold")
    story = [
        Paragraph(_text(assessment.organisation.name), s["small"]),
        Spacer(1, 6 * mm),
        Paragraph("<br/>".join(_text(line) for line in [client.full_name, *client.address_lines]), s["body"]),
        Spacer(1, 4 * mm),
        Paragraph(_text(_date(assessment.completed_at)), s["body"]),
        Paragraph("Your weekly charge for care at home", s["title"]),
        Paragraph(
            f"We have worked out what you pay towards your care. From {_text(_date(assessment.effective_date))} "
            "you will pay:",
            s["body"],
        ),
        Spacer(1, 2 * mm),
        Paragraph(f"{_text(format_money(result.get('weekly_charge')))} a week", s["charge"]),
        Spacer(1, 2 * mm),
    ]
    if result.get("full_cost"):
        story.append(
            Paragraph(
                "Because your savings and other capital are over the upper limit, you pay the full cost of your care.",
                s["body"],
            )
        )
    if result.get("capped_at_care_cost"):
        story.append(Paragraph("Your charge is never more than the cost of your care.", s["body"]))
    story.append(Paragraph("How the charge is worked out", s["heading"]))
    rows = [
        [Paragraph("Item", bold), Paragraph("How it is treated", bold), Paragraph("£ a week", bold)],
        *(
            [
                Paragraph(_text(line.get("label")), s["small"]),
                Paragraph(_text(line.get("treatment")), s["small"]),
                Paragraph(_text(format_money(line.get("amount"))), s["cell_right"]),
            ]
            for line in result.get("lines", [])
        ),
    ]
    story.append(_table(rows, [62 * mm, 80 * mm, 28 * mm]))
    story.append(Spacer(1, 4 * mm))
    totals = [
        ("Total income", format_money(result.get("total_income"))),
        ("Disregarded", format_money(result.get("disregarded"))),
        ("Tariff income from capital", format_money(result.get("tariff_income"))),
        ("Minimum Income Guarantee", format_money(result.get("mig"))),
        ("Housing costs", format_money(result.get("housing"))),
        ("Disability-related expenditure", format_money(result.get("dre"))),
        ("Taper", f"{result.get('taper_percent', '')}%"),
        ("Rates used", f"{result.get('rates_year', '')} (version {result.get('rates_version', '')})"),
    ]
    story.append(
        _table(
            [[Paragraph(_text(key), bold), Paragraph(_text(value), s["small"])] for key, value in totals],
            [70 * mm, 100 * mm],
            header=False,
        )
    )
    by = assessment.completed_by
    story += [
        Paragraph("If you think this is wrong", s["heading"]),
        Paragraph(_text(REVIEW_TEXT.format(organisation=assessment.organisation.name)), s["body"]),
        Spacer(1, 4 * mm),
        Paragraph(f"Assessed by {_text(by.get_full_name() or by.username) if by else ''}.", s["body"]),
    ]
    return story


def letter_pdf(*, assessment, compress: bool = True) -> bytes:
    """The letter as an A4 PDF. `compress=False` writes the text uncompressed and byte-for-byte repeatable
    (for tests and for anyone who needs to search the raw file)."""
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=f"Charge letter for {assessment.client.full_name}",
        author=assessment.organisation.name,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
        pageCompression=1 if compress else 0,
        invariant=0 if compress else 1,
    )
    doc.build(letter_story(assessment=assessment))
    return buffer.getvalue()
