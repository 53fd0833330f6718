"""Payment run files: a CSV for accounts payable and a BACS Standard 18 file for bank-account payments.

BACS Standard 18 data record, 100 characters (../shared/charging/README.md):
  1–6 destination sort code, 7–14 destination account, 15 account type "0", 16–17 transaction code
  "99" (credit), 18–23 originating sort code, 24–31 originating account, 32–35 free, 36–46 amount in
  pence (11 digits, zero-filled), 47–64 service user name, 65–82 reference, 83–100 destination account
  name. Allowed characters: A–Z, 0–9, `.`, `&`, `/`, `-`, space (anything else becomes a space).
Records end with CRLF.
"""

import csv
import functools
import io
import re
from collections.abc import Iterable
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings

from core.money import money_to_pence

from .models import Agreement, PaymentLine

RECORD_LENGTH = 100
_NOT_ALLOWED = re.compile(r"[^A-Z0-9.&/\- ]")
CSV_HEADER = ["vendor_number", "amount", "reference", "period", "account_type", "client"]


@functools.cache
def _month_code(period) -> str:
    return f"{period:%b%y}".upper()


def payment_reference(line: PaymentLine) -> str:
    """What the client sees on their statement: DP, the agreement number and the month, e.g. DP000042 APR26."""
    return f"DP{line.agreement_id:06d} {_month_code(line.period)}"


class NetPayment:
    """One agreement's net payment in a run, as the files need it. A plain object, not a copy of a model
    instance: copying 50,000 `PaymentLine`s cost seconds (pickling each one's state)."""

    __slots__ = ("agreement", "agreement_id", "amount", "period")

    def __init__(self, *, agreement_id: int, period, amount: Decimal, agreement):
        self.agreement_id, self.period, self.amount, self.agreement = agreement_id, period, amount, agreement


class NetPayments(list):
    """A list of `NetPayment`s already one per agreement (from `selectors.payment_run_export_lines`)."""


class Payee(NamedTuple):
    """What the files need of an agreement and its client, read as plain values (see
    `selectors.payment_run_export_lines`)."""

    supplier_number: str
    account_type: str
    sort_code: str
    account_number: str
    account_name: str
    full_name: str

    @property
    def client(self) -> "Payee":  # the files ask for `agreement.client.full_name`
        return self


def net_per_agreement(lines: Iterable[PaymentLine]) -> list[NetPayment]:
    """One payment per agreement in a run: its regular line with the adjustments (one-off payments,
    recoveries), re-issues and arrears (whose period is the earlier month they pay for) added in, so the
    bank is never sent the regular amount and the recovery separately. The reference names the run's
    month, the latest period among the lines."""
    if isinstance(lines, NetPayments):
        return lines
    merged: dict[int, NetPayment] = {}
    for line in lines:
        key = line.agreement_id
        if key in merged:
            merged[key].amount += line.amount
            merged[key].period = max(merged[key].period, line.period)
        else:
            merged[key] = NetPayment(
                agreement_id=line.agreement_id, period=line.period, amount=line.amount, agreement=line.agreement
            )
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


@functools.cache
def _year_month(period) -> str:
    return f"{period:%Y-%m}"


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
                _year_month(line.period),
                line.agreement.account_type,
                _no_formula(line.agreement.client.full_name),
            ]
        )
    return buffer.getvalue()
