"""CSV files in and out. Reading an uploaded file: the one place that decodes it, refuses what is not CSV
text, and keeps each row's line number for the error report (the reader's own, as a quoted value may span
lines). Writing an export: cells a spreadsheet would run as a formula are made text, rows are streamed."""

import csv
import io

from django.core.exceptions import ValidationError
from django.http import StreamingHttpResponse

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


# A spreadsheet runs a cell starting with one of these as a formula; a leading quote makes it text.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """The cell as text, with a leading quote if a spreadsheet would otherwise run it as a formula."""
    text = "" if value is None else str(value)
    return f"'{text}" if text.startswith(FORMULA_STARTS) else text


class _Echo:
    """A file-like object whose write returns the line, for streaming csv rows."""

    def write(self, value):
        return value


def csv_download(rows, *, filename: str) -> StreamingHttpResponse:
    """`rows` (an iterable of lists, header first) as a CSV download, streamed, every cell made safe."""
    writer = csv.writer(_Echo())
    response = StreamingHttpResponse(
        (writer.writerow([csv_safe(cell) for cell in row]) for row in rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
