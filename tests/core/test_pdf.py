"""The one PDF module (`core.pdf`): names in any script a client's name is written in come out of the
PDF as typed, from the embedded Noto Sans (never Helvetica, which has no glyphs past Latin-1); every page
has the organisation's name and "Page n of N"; a heading never sits alone at the foot of a page."""

from pathlib import Path

import pytest
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.ttfonts import TTFontFile
from reportlab.platypus import Paragraph, Spacer

from core import pdf
from tests.pdfs import pdf_fonts, pdf_pages, pdf_text, words

NAMES = [
    "Łukasz Wiśniewski-Ó'Briain, Llŷr",  # Polish, Irish and Welsh
    "Ŵyn Llŷr ap Siôn",  # Welsh circumflexes on w and y
    "Erdős Ștefan Țurcanu",  # Hungarian double acute, Romanian comma below
    "Γιώργος Παπαδόπουλος",  # Greek
    "Олена Шевченко",  # Ukrainian Cyrillic
    "Дмитрий Ёлкин",  # Russian Cyrillic
    "Nguyễn Thị Đặng",  # Vietnamese
]


def _render(story, **kwargs) -> bytes:
    kwargs = {"title": "A test letter", "organisation": "Northshire County Council", "compress": False, **kwargs}
    return pdf.render(story, **kwargs)


def test_the_font_files_and_their_licence_are_in_the_repository():
    fonts = Path(pdf.__file__).resolve().parent / "fonts"
    assert (fonts / "OFL.txt").read_text().startswith("Copyright 2022 The Noto Project Authors")
    assert "SIL OPEN FONT LICENSE Version 1.1" in (fonts / "OFL.txt").read_text()
    for name, path in pdf.FONT_FILES.items():
        face = TTFontFile(str(path))
        assert face.name.decode() == {"NotoSans": "NotoSans-Regular", "NotoSans-Bold": "NotoSans-Bold"}[name]
        # every letter of every test name has a glyph: none would print as a box
        missing = {c for c in "".join(NAMES) if not c.isspace() and ord(c) not in face.charToGlyph}
        assert missing == set()


@pytest.mark.parametrize("name", NAMES)
def test_a_name_in_any_script_comes_out_of_the_pdf_as_typed(name):
    s = pdf.styles()
    content = _render(
        [
            Paragraph(pdf.text(name), s.title),
            Paragraph(f"Dear {pdf.text(name)},", s.body),
            pdf.table([["Name", "£ a week"], [name, "£71.30"]], [120 * mm, 40 * mm], numeric=(1,)),
        ],
        organisation=f"Cyngor Sir Ynys Môn for {name}",
    )
    text = pdf_text(content)
    assert text.count(name) == 4  # the title, the greeting, the table and the page header
    assert "■" not in text and "\ufffd" not in text
    assert f"Dear {name}," in text


def test_only_the_embedded_noto_sans_is_used_never_helvetica():
    s = pdf.styles()
    content = _render(
        [
            Paragraph(pdf.text(NAMES[0]), s.body),
            Paragraph(f"<b>{pdf.text(NAMES[3])}</b> and <i>{pdf.text(NAMES[4])}</i>", s.body),
            pdf.table([["Plain text cell", "1"]], [100 * mm, 20 * mm], header=False),
            pdf.address_block(recipient=[NAMES[1]], sender=["Northshire County Council"]),
        ]
    )
    # regular and bold faces, both embedded (subset); no base-14 font such as Helvetica
    assert pdf_fonts(content) == {"NotoSans-Regular": True, "NotoSans-Bold": True}


def test_text_typed_with_combining_accents_prints_as_the_composed_letters():
    content = _render([Paragraph(pdf.text("O\u0301 Briain and Wis\u0301niewski"), pdf.styles().body)])
    assert "Ó Briain and Wiśniewski" in pdf_text(content)


def test_markup_in_a_name_is_printed_not_obeyed():
    content = _render([Paragraph(pdf.text("Ann <b>Smith</b> & Co\nSecond line"), pdf.styles().body)])
    assert "Ann <b>Smith</b> & Co Second line" in pdf_text(content)


def test_every_page_has_the_organisation_the_footer_and_page_n_of_total():
    s = pdf.styles()
    story = [Paragraph(f"Paragraph {n}. " + "Some words to fill the page. " * 30, s.body) for n in range(20)]
    pages = pdf_pages(_render(story, organisation="Cyngor Gwynedd", footer="Agenda of the meeting on 3 March"))
    assert len(pages) == 5
    for number, page in enumerate(pages, start=1):
        # the header and footer are drawn once the page count is known, so they come last in the text layer
        assert words(page).endswith(f"Cyngor Gwynedd Agenda of the meeting on 3 March Page {number} of 5")


def test_a_footer_too_long_for_the_line_is_shortened_before_the_page_number():
    footer = "We will recover money you have not spent from your direct payment · " + NAMES[0] * 3
    (page,) = pdf_pages(_render([Paragraph("Hello", pdf.styles().body)], footer=footer))
    printed = words(page).removeprefix("Hello Northshire County Council ").removesuffix(" Page 1 of 1")
    assert printed.endswith("…") and footer.startswith(printed[:-1]) and len(printed) < len(footer)
    # it fits the line beside the page number
    room = pdf.FRAME_WIDTH - pdf.pdfmetrics.stringWidth("Page 1 of 1", pdf.FONT, 8.5) - 6 * mm
    assert pdf.pdfmetrics.stringWidth(printed, pdf.FONT, 8.5) <= room


def test_the_pdf_title_and_author_are_set_for_screen_readers():
    from io import BytesIO

    from pypdf import PdfReader

    content = _render([Paragraph("Hello", pdf.styles().body)], title=f"Charge letter for {NAMES[0]}")
    info = PdfReader(BytesIO(content)).metadata
    assert info.title == f"Charge letter for {NAMES[0]}" and info.author == "Northshire County Council"


def _heading_page_and_next_page(space: int, heading_style) -> tuple[int, int]:
    """Where the heading and the paragraph under it land, after most of a page of filler and `space` points."""
    s = pdf.styles()
    story = [Paragraph(f"Filler {n}. " + "Words to take up room on the page. " * 4, s.body) for n in range(17)]
    story.append(Spacer(1, space))
    story += [Paragraph("How we worked this out", heading_style), Paragraph("The first line under it.", s.body)]
    pages = pdf_pages(_render(story))
    heading = next(n for n, page in enumerate(pages) if "How we worked this out" in page)
    following = next(n for n, page in enumerate(pages) if "The first line under it." in page)
    return heading, following


def test_a_heading_is_never_stranded_at_the_foot_of_a_page():
    # Moving the heading down the foot of the first page three points at a time, it always shares a page with
    # the paragraph after it...
    together = [_heading_page_and_next_page(space, pdf.styles().heading) for space in range(0, 80, 3)]
    assert all(heading == following for heading, following in together)
    assert {heading for heading, _ in together} == {0, 1}  # some on the first page, some moved to the second
    # ...whereas a heading style without keep-with-next is stranded at some of the same positions, so the
    # positions tried do reach the foot of the page.
    loose = ParagraphStyle("Loose", parent=pdf.styles().heading, keepWithNext=0)
    stranded = [_heading_page_and_next_page(space, loose) for space in range(0, 80, 3)]
    assert any(heading != following for heading, following in stranded)


def test_the_same_story_gives_the_same_bytes_when_uncompressed():
    def build():
        return _render([Paragraph(pdf.text(NAMES[0]), pdf.styles().body)])

    assert build() == build()


def test_a_signature_is_never_split_across_pages_nor_left_alone():
    s = pdf.styles()
    pages_of = []
    for space in range(0, 80, 4):
        story = [Paragraph(f"Filler {n}. " + "Words to take up room on the page. " * 4, s.body) for n in range(17)]
        story += [
            Spacer(1, space),
            pdf.signature(
                ["Yours sincerely,", "Llŷr ap Siôn", "Northshire County Council"],
                last_paragraph="Please tell us if anything changes.",
            ),
        ]
        pages = pdf_pages(_render(story))
        first = next(n for n, page in enumerate(pages) if "Please tell us if anything changes." in page)
        last = next(n for n, page in enumerate(pages) if "Llŷr ap Siôn Northshire County Council" in words(page))
        pages_of.append((first, last))
    assert all(first == last for first, last in pages_of)
    assert {first for first, _ in pages_of} == {0, 1}  # the positions tried reach over the foot of the page
