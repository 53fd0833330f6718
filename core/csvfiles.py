"""Reading an uploaded CSV file: the one place that decodes it, refuses what is not CSV text, and keeps
each row's line number for the error report (the reader's own, as a quoted value may span lines)."""

import csv
import io

from django.core.exceptions import ValidationError

NOT_TEXT = "The file is not a CSV text file (save it as CSV, UTF-8)."


def read_csv(content: bytes | str) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The header (trimmed, lower case) and the data rows that are not blank, each with the line it ends
    on. A file that is not CSV text raises ValidationError and nothing is read from it."""
    if isinstance(content, bytes):
        try:
            content = content.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ValidationError(NOT_TEXT) from None
    if "\x00" in content:
        raise ValidationError(NOT_TEXT)
    reader = csv.reader(io.StringIO(content, newline=""), strict=True)
    try:
        header = [cell.strip().lower() for cell in next(reader, [])]
        rows = [(reader.line_num, row) for row in reader if any(cell.strip() for cell in row)]
    except csv.Error as exc:
        raise ValidationError(f"The file is not a readable CSV file: {exc}.") from None
    return header, rows
