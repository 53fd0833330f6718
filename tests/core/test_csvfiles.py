import pytest
from django.core.exceptions import ValidationError

from core.csvfiles import read_csv


def test_header_trimmed_and_lower_case_and_rows_keep_their_line_numbers():
    content = '\ufeffCard_Reference , Balance,date\r\nPC-1,10.00,2026-04-30\r\n\r\n"PC-2","a\nb",x\r\nPC-3,1,2\r\n'
    header, rows = read_csv(content.encode("utf-8"))
    assert header == ["card_reference", "balance", "date"]
    # the blank line 3 is skipped; the quoted value spanning lines 4-5 ends on line 5
    assert rows == [(2, ["PC-1", "10.00", "2026-04-30"]), (5, ["PC-2", "a\nb", "x"]), (6, ["PC-3", "1", "2"])]


@pytest.mark.parametrize("content", [b"\xff\xfe\x00a", "a,b\x00\n1,2\n", b"\x89PNG\r\n\x1a\n\x00\x00"])
def test_a_file_that_is_not_csv_text_is_refused(content):
    with pytest.raises(ValidationError, match="not a CSV text file"):
        read_csv(content)


def test_a_broken_quote_is_refused_with_the_reason():
    with pytest.raises(ValidationError, match="not a readable CSV file"):
        read_csv('a,b\n"unclosed,1\n')


def test_an_empty_file_has_no_header_and_no_rows():
    assert read_csv(b"") == ([], [])
