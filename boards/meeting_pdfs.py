"""A meeting's agenda and minutes as PDF, laid out like a council's committee papers by `core.pdf` (the
board's name at the top of every page, "Page n of N" at the foot, headings kept with their item).

Takes what `selectors.meeting_detail` returns; no queries here."""

from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from core import pdf


def _date(value) -> str:
    return f"{value.day} {value:%B %Y}" if value else ""


def _name(user) -> str:
    return user.get_full_name() or user.username


def _when_and_where(meeting) -> str:
    when = _date(meeting.date) + (f" at {meeting.time:%H:%M}" if meeting.time else "")
    where = meeting.place or "By video call"
    return f"{when}, {where}"


def _heading(meeting, what: str) -> list:
    s = pdf.styles()
    return [
        Paragraph(pdf.text(meeting.board.title), s.title),
        Paragraph(what, s.heading),
        Paragraph(pdf.text(_when_and_where(meeting)), s.intro),
        Spacer(1, 4 * mm),
    ]


def _document(meeting, what: str, story: list) -> bytes:
    return pdf.render(
        story,
        title=f"{meeting.board.title}: {what.lower()}",
        organisation=meeting.board.title,
        footer=f"{what} of the meeting on {_date(meeting.date)}",
    )


def _actions_table(actions) -> object:
    rows = [["Action", "Owner", "Due"]]
    rows += [[action.description, _name(action.owner), _date(action.due_on)] for action in actions]
    return pdf.table(rows, [100 * mm, 40 * mm, 30 * mm])


def agenda_pdf(*, meeting, items, review=()) -> bytes:
    """The agenda: numbered items with presenters and whether papers are attached, then the review of
    open actions from earlier meetings."""
    s = pdf.styles()
    story = _heading(meeting, "Agenda")
    rows = [["Item", "Title", "Presenter", "Papers"]]
    rows += [[str(item.position), item.title, item.presenter, "Attached" if item.papers else "None"] for item in items]
    if len(rows) == 1:
        story.append(Paragraph("No agenda items yet.", s.body))
    else:
        story.append(pdf.table(rows, [15 * mm, 90 * mm, 45 * mm, 20 * mm]))
    if review:
        story += [Paragraph("Review of actions", s.heading), _actions_table(review)]
    return _document(meeting, "Agenda", story)


def minutes_pdf(*, meeting, items, attendances) -> bytes:
    """The minutes: attendance (present, apologies), each item's minutes and decisions, and actions."""
    s = pdf.styles()
    story = _heading(meeting, "Minutes")
    for label, status in (("Present", "present"), ("Apologies", "apologies")):
        names = [_name(a.person) for a in attendances if a.status == status]
        story.append(Paragraph(f"<b>{label}:</b> {pdf.text(', '.join(names) or 'None recorded')}", s.body))
    for item in items:
        story.append(Paragraph(f"{item.position}. {pdf.text(item.title)}", s.heading))
        if item.presenter:
            story.append(Paragraph(f"Presented by {pdf.text(item.presenter)}", s.byline))
        if item.issue:
            story.append(Paragraph(f"Issues log: {pdf.text(item.issue.title)}", s.byline))
        story.append(Paragraph(pdf.text(item.minutes) or "No minutes recorded.", s.body))
        if item.decisions:
            story.append(Paragraph(f"<b>Decisions:</b> {pdf.text(item.decisions)}", s.body))
        actions = list(item.actions.all())
        if actions:
            story.append(_actions_table(actions))
    return _document(meeting, "Minutes", story)
