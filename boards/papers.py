"""Papers attached to an agenda item: the file's content must match its type, so a renamed file (an
executable called `papers.pdf`, a spreadsheet called `papers.doc`) is refused. Pure functions, no ORM."""

ZIP = b"PK\x03\x04"  # DOCX, XLSX, ODT, ODS are zip containers
OLE = b"\xd0\xcf\x11\xe0"  # DOC and XLS (OLE2 compound document)
PDF = b"%PDF"
RTF = b"{\\rtf"

SIGNATURES = {
    "pdf": (PDF,),
    "docx": (ZIP,),
    "xlsx": (ZIP,),
    "odt": (ZIP,),
    "ods": (ZIP,),
    "doc": (OLE,),
    "xls": (OLE,),
    "rtf": (RTF,),
}
TEXT_EXTENSIONS = {"csv", "txt"}
TYPE_NAMES = {
    "pdf": "a PDF",
    "docx": "a Word document",
    "doc": "a Word document",
    "odt": "an OpenDocument text file",
    "xlsx": "an Excel spreadsheet",
    "xls": "an Excel spreadsheet",
    "ods": "an OpenDocument spreadsheet",
    "rtf": "a rich text file",
    "csv": "a CSV file",
    "txt": "a text file",
}
HEAD_BYTES = 2048


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def papers_content_error(*, name: str, head: bytes) -> str | None:
    """Why the file's first bytes do not match its extension, or None if they do."""
    extension = extension_of(name)
    what = TYPE_NAMES.get(extension, "the type its name says")
    refused = f"The selected file is not {what}: it may have been renamed. Upload the original file."
    if extension in SIGNATURES:
        return None if head.startswith(SIGNATURES[extension]) else refused
    if extension in TEXT_EXTENSIONS:
        binary = b"\x00" in head or any(head.startswith(sig) for sigs in SIGNATURES.values() for sig in sigs)
        return refused if binary else None
    return "The papers must be a PDF, Word, spreadsheet or text file"


def read_head(upload) -> bytes:
    """The first bytes of an uploaded file, leaving it rewound for saving."""
    upload.seek(0)
    head = upload.read(HEAD_BYTES)
    upload.seek(0)
    return head
