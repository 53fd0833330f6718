"""A meeting's agenda and minutes as PDF, laid out like a council's committee papers (reportlab).

Takes what `selectors.meeting_detail` returns; no queries here."""

from io import BytesIO
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _name(user) -> str:
    return user.get_full_name() or user.username


def _text(value: str) -> str:
    return escape(value or "").replace("\n", "<br/>")


def _when_and_where(meeting) -> str:
    when = _date(meeting.date) + (f" at {meeting.time:%H:%M}" if meeting.time else "")
    where = meeting.place or "By video call"
    return f"{when}, {where}"


def _document(title: str, story) -> bytes:
    buffer = BytesIO()
    doc = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        title=title,
        leftMargin=20 * mm,
        rightMargin=20 * mm,
        topMargin=18 * mm,
        bottomMargin=18 * mm,
    )
    doc.build(story)
    return buffer.getvalue()


def _heading(meeting, what: str, styles):
    return [
        Paragraph(_text(meeting.board.title), styles["Title"]),
        Paragraph(what, styles["Heading2"]),
        Paragraph(_text(_when_and_where(meeting)), styles["Normal"]),
        Spacer(1, 6 * mm),
    ]


def _table(rows, widths):
    table = Table(rows, colWidths=widths, repeatRows=1)
    table.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, 0), "Helvetica-Bold"),
                ("LINEBELOW", (0, 0), (-1, 0), 0.75, colors.black),
                ("LINEBELOW", (0, 1), (-1, -1), 0.25, colors.grey),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
            ]
        )
    )
    return table


def agenda_pdf(*, meeting, items, review=()) -> bytes:
    """The agenda: numbered items with presenters and whether papers are attached, then the review of
    open actions from earlier meetings."""
    styles = getSampleStyleSheet()
    story = _heading(meeting, "Agenda", styles)
    rows = [["Item", "Title", "Presenter", "Papers"]]
    for item in items:
        rows.append(
            [
                str(item.position),
                Paragraph(_text(item.title), styles["Normal"]),
                Paragraph(_text(item.presenter), styles["Normal"]),
                "Attached" if item.papers else "None",
            ]
        )
    if len(rows) == 1:
        story.append(Paragraph("No agenda items yet.", styles["Normal"]))
    else:
        story.append(_table(rows, [15 * mm, 90 * mm, 45 * mm, 20 * mm]))
    if review:
        story.append(Paragraph("Review of actions", styles["Heading3"]))
        rows = [["Action", "Owner", "Due"]]
        rows += [[Paragraph(_text(a.description), styles["Normal"]), _name(a.owner), _date(a.due_on)] for a in review]
        story.append(_table(rows, [100 * mm, 40 * mm, 30 * mm]))
    return _document(f"{meeting.board.title}: agenda", story)


def minutes_pdf(*, meeting, items, attendances) -> bytes:
    """The minutes: attendance (present, apologies), each item's minutes and decisions, and actions."""
    styles = getSampleStyleSheet()
    story = _heading(meeting, "Minutes", styles)
    for label, status in (("Present", "present"), ("Apologies", "apologies")):
        names = [_name(a.person) for a in attendances if a.status == status]
        story.append(Paragraph(f"<b>{label}:</b> {_text(', '.join(names) or 'None recorded')}", styles["Normal"]))
    story.append(Spacer(1, 4 * mm))
    for item in items:
        story.append(Paragraph(f"{item.position}. {_text(item.title)}", styles["Heading3"]))
        if item.presenter:
            story.append(Paragraph(f"Presented by {_text(item.presenter)}", styles["Italic"]))
        if item.issue:
            story.append(Paragraph(f"Issues log: {_text(item.issue.title)}", styles["Italic"]))
        story.append(Paragraph(_text(item.minutes) or "No minutes recorded.", styles["Normal"]))
        if item.decisions:
            story.append(Paragraph(f"<b>Decisions:</b> {_text(item.decisions)}", styles["Normal"]))
        actions = list(item.actions.all())
        if actions:
            story.append(Spacer(1, 2 * mm))
            rows = [["Action", "Owner", "Due"]]
            rows += [
                [Paragraph(_text(a.description), styles["Normal"]), _name(a.owner), _date(a.due_on)] for a in actions
            ]
            story.append(_table(rows, [100 * mm, 40 * mm, 30 * mm]))
    return _document(f"{meeting.board.title}: minutes", story)
