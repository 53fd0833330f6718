"""Payment run files: a CSV for accounts payable and a BACS Standard 18 file for bank-account payments.

BACS Standard 18 data record, 100 characters (../shared/charging/README.md):
  1–6 destination sort code, 7–14 destination account, 15 account type "0", 16–17 transaction code
  "99" (credit), 18–23 originating sort code, 24–31 originating account, 32–35 free, 36–46 amount in
  pence (11 digits, zero-filled), 47–64 service user name, 65–82 reference, 83–100 destination account
  name. Allowed characters: A–Z, 0–9, `.`, `&`, `/`, `-`, space (anything else becomes a space).
Records end with CRLF.
"""

import copy
import csv
import io
import re
from collections.abc import Iterable
from decimal import Decimal

from django.conf import settings

from core.money import money_to_pence

from .models import Agreement, PaymentLine

RECORD_LENGTH = 100
_NOT_ALLOWED = re.compile(r"[^A-Z0-9.&/\- ]")
CSV_HEADER = ["vendor_number", "amount", "reference", "period", "account_type", "client"]


def payment_reference(line: PaymentLine) -> str:
    """What the client sees on their statement: DP, the agreement number and the month, e.g. DP000042 APR26."""
    return f"DP{line.agreement_id:06d} {line.period:%b%y}".upper()


def net_per_agreement(lines: Iterable[PaymentLine]) -> list[PaymentLine]:
    """One payment per agreement and month: its regular line with the adjustments (one-off payments,
    recoveries) added in, so the bank is never sent the regular amount and the recovery separately."""
    merged: dict[tuple, PaymentLine] = {}
    for line in lines:
        key = (line.agreement_id, line.period)
        if key in merged:
            merged[key].amount += line.amount
        else:
            merged[key] = copy.copy(line)
    return list(merged.values())


def bacs_text(value: str, width: int) -> str:
    """Upper case, BACS characters only, cut or space-padded to `width`."""
    return _NOT_ALLOWED.sub(" ", (value or "").upper())[:width].ljust(width)


def bacs_record(
    *,
    sort_code: str,
    account_number: str,
    amount: Decimal,
    service_user_name: str,
    reference: str,
    account_name: str,
    originating_sort_code: str,
    originating_account: str,
) -> str:
    """One 100-character Standard 18 credit record."""
    pence = money_to_pence(amount)
    if pence < 0 or pence > 99_999_999_999:
        raise ValueError("a BACS credit must be between 0 and 999,999,999.99")
    for value, size in ((sort_code, 6), (account_number, 8), (originating_sort_code, 6), (originating_account, 8)):
        if not (value.isdigit() and len(value) == size):
            raise ValueError(f"{value!r} is not {size} digits")
    record = (
        sort_code
        + account_number
        + "0"
        + "99"
        + originating_sort_code
        + originating_account
        + " " * 4
        + f"{pence:011d}"
        + bacs_text(service_user_name, 18)
        + bacs_text(reference, 18)
        + bacs_text(account_name, 18)
    )
    if len(record) != RECORD_LENGTH:
        raise ValueError(f"a Standard 18 record is {RECORD_LENGTH} characters, not {len(record)}")
    return record


def bacs_file(lines: Iterable[PaymentLine], *, originating_sort_code: str = "", originating_account: str = "") -> str:
    """The BACS file: one record per bank-account line with money to pay (other account types go by CSV)."""
    sort_code = originating_sort_code or getattr(settings, "DIRECT_PAYMENTS_ORIGINATING_SORT_CODE", "000000")
    account = originating_account or getattr(settings, "DIRECT_PAYMENTS_ORIGINATING_ACCOUNT", "00000000")
    service_user = getattr(settings, "DIRECT_PAYMENTS_SERVICE_USER_NAME", "DIRECT PAYMENTS")
    records = []
    for line in net_per_agreement(lines):
        agreement = line.agreement
        if agreement.account_type != Agreement.AccountType.BANK_ACCOUNT or line.amount <= 0:
            continue
        records.append(
            bacs_record(
                sort_code=agreement.sort_code,
                account_number=agreement.account_number,
                amount=line.amount,
                service_user_name=service_user,
                reference=payment_reference(line),
                account_name=agreement.account_name or agreement.client.full_name,
                originating_sort_code=sort_code,
                originating_account=account,
            )
        )
    return "".join(record + "\r\n" for record in records)


def _no_formula(text: str) -> str:
    """A spreadsheet must not run a name as a formula."""
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def accounts_payable_csv(lines: Iterable[PaymentLine]) -> str:
    """The CSV for accounts payable: vendor number, amount, reference, period, one row per line."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for line in net_per_agreement(lines):
        writer.writerow(
            [
                line.agreement.supplier_number,
                f"{line.amount:.2f}",
                payment_reference(line),
                f"{line.period:%Y-%m}",
                line.agreement.account_type,
                _no_formula(line.agreement.client.full_name),
            ]
        )
    return buffer.getvalue()
