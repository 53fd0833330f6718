"""Every PDF the service makes — charge letters, surplus notices, board agendas and minutes — is laid
out here: one font, one set of paragraph and table styles, one page with a header and footer.

- The font is Noto Sans (regular and bold, `core/fonts/`, SIL Open Font License), embedded and subset,
  so a client's name prints as written in Latin, Greek or Cyrillic script. reportlab's built-in
  Helvetica has no glyphs past Latin-1 and printed "Łukasz" as "■ukasz".
- Every page carries the organisation's name at the top, and the document's name and "Page 2 of 5"
  at the foot (the total is known once the whole document is laid out: `_NumberedCanvas`).
- Headings keep with what follows them, so a heading never sits alone at the foot of a page.

A module builds its story with `styles()`, `text()`, `table()` and `address_block()`, then calls
`render()`."""

import unicodedata
from dataclasses import dataclass
from functools import cache, partial
from io import BytesIO
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import KeepTogether, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT = "NotoSans"
FONT_BOLD = "NotoSans-Bold"
FONT_FILES = {FONT: FONT_DIR / "NotoSans-Regular.ttf", FONT_BOLD: FONT_DIR / "NotoSans-Bold.ttf"}

# GOV.UK Design System colours.
TEXT = colors.HexColor("#0b0c0c")
SECONDARY_TEXT_HEX = "#505a5f"
SECONDARY_TEXT = colors.HexColor(SECONDARY_TEXT_HEX)
BORDER = colors.HexColor("#b1b4b6")

PAGE_SIZE = A4
LEFT_MARGIN = RIGHT_MARGIN = 20 * mm
TOP_MARGIN = 24 * mm  # room for the header line
BOTTOM_MARGIN = 22 * mm  # room for the footer line
FRAME_WIDTH = PAGE_SIZE[0] - LEFT_MARGIN - RIGHT_MARGIN  # 170 mm


@cache
def register_fonts() -> None:
    """Register Noto Sans with reportlab once per process, as a family so <b> picks the bold face."""
    for name, path in FONT_FILES.items():
        pdfmetrics.registerFont(TTFont(name, str(path)))
    # No italic face is shipped: <i> falls back to the upright one rather than to Helvetica.
    pdfmetrics.registerFontFamily(FONT, normal=FONT, bold=FONT_BOLD, italic=FONT, boldItalic=FONT_BOLD)


@dataclass(frozen=True)
class Styles:
    body: ParagraphStyle
    intro: ParagraphStyle
    secondary: ParagraphStyle
    byline: ParagraphStyle
    small: ParagraphStyle
    title: ParagraphStyle
    heading: ParagraphStyle
    subheading: ParagraphStyle
    lead: ParagraphStyle
    cell: ParagraphStyle
    cell_bold: ParagraphStyle
    cell_right: ParagraphStyle
    cell_right_bold: ParagraphStyle


@cache
def styles() -> Styles:
    """The paragraph styles every PDF uses (GOV.UK type scale for print, 11 pt body)."""
    register_fonts()
    body = ParagraphStyle(
        "Body",
        fontName=FONT,
        fontSize=11,
        leading=15,
        textColor=TEXT,
        spaceAfter=6,
        bulletFontName=FONT,
        allowWidows=0,  # no paragraph leaves its last line alone at the top of a page...
        allowOrphans=0,  # ...or its first line alone at the foot of one
    )
    small = ParagraphStyle("Small", parent=body, fontSize=9.5, leading=13, spaceAfter=0)
    cell = ParagraphStyle("Cell", parent=small)
    secondary = ParagraphStyle("Secondary", parent=body, textColor=SECONDARY_TEXT)
    return Styles(
        body=body,
        # a sentence introducing a table or list: kept on the page with it
        intro=ParagraphStyle("Intro", parent=body, keepWithNext=1),
        secondary=secondary,
        # "Presented by …" under a heading: kept with the heading and what follows
        byline=ParagraphStyle("Byline", parent=secondary, keepWithNext=1),
        small=small,
        title=ParagraphStyle(
            "Title", parent=body, fontName=FONT_BOLD, fontSize=19, leading=24, spaceBefore=6, spaceAfter=8
        ),
        # keepWithNext: the heading moves to the next page with the first thing under it.
        heading=ParagraphStyle(
            "Heading", parent=body, fontName=FONT_BOLD, fontSize=14, leading=18, spaceBefore=10, keepWithNext=1
        ),
        subheading=ParagraphStyle(
            "Subheading", parent=body, fontName=FONT_BOLD, fontSize=11.5, leading=15, spaceBefore=8, keepWithNext=1
        ),
        lead=ParagraphStyle("Lead", parent=body, fontName=FONT_BOLD, fontSize=16, leading=21, spaceAfter=8),
        cell=cell,
        cell_bold=ParagraphStyle("CellBold", parent=cell, fontName=FONT_BOLD),
        cell_right=ParagraphStyle("CellRight", parent=cell, alignment=TA_RIGHT),
        cell_right_bold=ParagraphStyle("CellRightBold", parent=cell, fontName=FONT_BOLD, alignment=TA_RIGHT),
    )


def text(value) -> str:
    """Words typed by a person, made safe for a Paragraph: escaped, composed (NFC, so "Ó" typed as O and
    a combining accent prints as the one glyph), line breaks kept."""
    value = unicodedata.normalize("NFC", str(value or ""))
    return escape(value).replace("\r\n", "\n").replace("\n", "<br/>")


def lines(values) -> str:
    """Several lines (an address, a signature) as one Paragraph's markup; "" leaves a blank line."""
    return "<br/>".join(text(value) for value in values if value is not None)


def with_note(label: str, note: str = "") -> str:
    """A table cell's markup: the label, and under it a note in secondary text."""
    return text(label) + (f'<br/><font color="{SECONDARY_TEXT_HEX}">{text(note)}</font>' if note else "")


def table(rows, widths, *, header: bool = True, total: bool = False, numeric: tuple[int, ...] = ()) -> Table:
    """A GOV.UK-style table: rules under each row, a bold header row repeated on every page it runs to,
    optionally a bold last row (a total). Cells may be Paragraphs or plain text; plain text is wrapped in
    a Paragraph of the house font, right-aligned in the `numeric` columns."""
    s = styles()
    last = len(rows) - 1

    def cell(value, row: int, column: int):
        if not isinstance(value, str):
            return value
        bold = (header and row == 0) or (total and row == last)
        if column in numeric:
            return Paragraph(text(value), s.cell_right_bold if bold else s.cell_right)
        return Paragraph(text(value), s.cell_bold if bold else s.cell)

    data = [[cell(value, r, c) for c, value in enumerate(row)] for r, row in enumerate(rows)]
    result = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LINEBELOW", (0, 0), (-1, -1), 0.5, BORDER),
        ("LEFTPADDING", (0, 0), (-1, -1), 0),
        ("RIGHTPADDING", (0, 0), (-1, -1), 6),
        ("TOPPADDING", (0, 0), (-1, -1), 4),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
    ]
    if header:
        style += [("FONTNAME", (0, 0), (-1, 0), FONT_BOLD), ("LINEBELOW", (0, 0), (-1, 0), 1, TEXT)]
    if total:
        style += [("FONTNAME", (0, -1), (-1, -1), FONT_BOLD), ("LINEABOVE", (0, -1), (-1, -1), 1, TEXT)]
    result.setStyle(TableStyle(style))
    return result


def address_block(*, recipient: list[str], sender: list[str]) -> Table:
    """A letter's opening: who it is to on the left (where a window envelope shows it), and the
    sender's address, phone, date and reference on the right."""
    s = styles()
    block = Table(
        [[Paragraph(lines(recipient), s.body), Paragraph(lines(sender), s.small)]],
        colWidths=[90 * mm, FRAME_WIDTH - 90 * mm],
        hAlign="LEFT",
    )
    block.setStyle(
        TableStyle(
            [
                ("FONTNAME", (0, 0), (-1, -1), FONT),  # a table sets its cells' font even round a Paragraph
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 8),
            ]
        )
    )
    return block


def signature(values, *, last_paragraph: str = "") -> KeepTogether:
    """A letter's sign-off ("Yours sincerely,", the name, the team), never split across two pages, and
    kept with the letter's last paragraph (`last_paragraph`, plain text) so it never stands alone."""
    s = styles()
    closing = [Paragraph(text(last_paragraph), s.body)] if last_paragraph else []
    return KeepTogether([*closing, Spacer(1, 4 * mm), Paragraph(lines(values), s.body)])


class _NumberedCanvas(Canvas):
    """Holds each finished page until the end, then draws the header and footer on every page with
    "Page n of N" — the total is only known once the whole document has been laid out."""

    def __init__(self, *args, header: str, footer: str, **kwargs):
        super().__init__(*args, **kwargs)
        self._header, self._footer, self._held = header, footer, []

    def showPage(self):
        self._held.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._held)
        for state in self._held:
            self.__dict__.update(state)
            self._decorate(total)
            super().showPage()
        super().save()

    def _decorate(self, total: int) -> None:
        width, height = PAGE_SIZE
        self.saveState()
        self.setFillColor(TEXT)
        self.setFont(FONT_BOLD, 9.5)
        self.drawString(LEFT_MARGIN, height - 13 * mm, _fit(self._header, FONT_BOLD, 9.5, FRAME_WIDTH))
        self.setStrokeColor(BORDER)
        self.setLineWidth(0.5)
        self.line(LEFT_MARGIN, height - 15.5 * mm, width - RIGHT_MARGIN, height - 15.5 * mm)
        self.line(LEFT_MARGIN, 15.5 * mm, width - RIGHT_MARGIN, 15.5 * mm)
        self.setFillColor(SECONDARY_TEXT)
        self.setFont(FONT, 8.5)
        page = f"Page {self._pageNumber} of {total}"
        room = FRAME_WIDTH - pdfmetrics.stringWidth(page, FONT, 8.5) - 6 * mm
        self.drawString(LEFT_MARGIN, 11 * mm, _fit(self._footer, FONT, 8.5, room))
        self.drawRightString(width - RIGHT_MARGIN, 11 * mm, page)
        self.restoreState()


def _fit(value: str, font: str, size: float, width: float) -> str:
    """One line of at most `width` points: shortened with "…" when it would run into the page number."""
    value = unicodedata.normalize("NFC", " ".join(str(value or "").split()))
    if pdfmetrics.stringWidth(value, font, size) <= width:
        return value
    while value and pdfmetrics.stringWidth(value + "…", font, size) > width:
        value = value[:-1]
    return value.rstrip() + "…"


def render(story: list, *, title: str, organisation: str, footer: str = "", compress: bool = True) -> bytes:
    """Lay the story out on A4 with the house header (the organisation's name) and footer (`footer`, or
    the title, and "Page n of N"); the PDF's title and author are set for screen readers and file lists.
    `compress=False` writes the page streams uncompressed and the bytes repeatable (for tests)."""
    register_fonts()
    buffer = BytesIO()
    SimpleDocTemplate(
        buffer,
        pagesize=PAGE_SIZE,
        title=unicodedata.normalize("NFC", title),
        author=unicodedata.normalize("NFC", organisation),
        creator="JointCase",
        lang="en-GB",
        leftMargin=LEFT_MARGIN,
        rightMargin=RIGHT_MARGIN,
        topMargin=TOP_MARGIN,
        bottomMargin=BOTTOM_MARGIN,
        pageCompression=1 if compress else 0,
        invariant=0 if compress else 1,
        initialFontName=FONT,  # else the canvas starts in Helvetica, which then sits unused in the file
        initialFontSize=11,
    ).build(story, canvasmaker=partial(_NumberedCanvas, header=organisation, footer=footer or title))
    return buffer.getvalue()
