"""Reading our PDFs back as a person's PDF reader would: the text layer (what copy-and-paste, search and
screen readers get) and the fonts the file uses, with pypdf."""

from io import BytesIO

from pypdf import PdfReader


def pdf_pages(content: bytes) -> list[str]:
    """Each page's text, in reading order."""
    return [page.extract_text() for page in PdfReader(BytesIO(content)).pages]


def words(text: str) -> str:
    """Text with every run of spaces and line breaks made one space (a PDF breaks lines where it must)."""
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    """The whole document's text as one line of words."""
    return words(" ".join(pdf_pages(content)))


def pdf_fonts(content: bytes) -> dict[str, bool]:
    """Every font the pages use: its name without the subset prefix -> whether the font file is embedded."""
    fonts = {}
    for page in PdfReader(BytesIO(content)).pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = str(font["/BaseFont"]).lstrip("/").split("+")[-1]
            descriptor = font.get("/FontDescriptor")
            descriptor = descriptor.get_object() if descriptor is not None else {}
            fonts[name] = any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3"))
    return fonts
