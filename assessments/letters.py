"""The charge letter, written to the client in plain English: what they will pay a week from when, how
we worked it out in words they use ("the amount you keep for everyday living"), and how to ask for a
review. No rate names, tapers or rates versions: those stay on the staff's assessment page.

`letter_content` decides the words once; the HTML letter (shown and printed in the browser) and the PDF
(`core.pdf`) are both laid out from them, so the two always say the same. It reads the assessment's
frozen result and its own client, organisation, rates, policy and completing officer; no other queries."""

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.template.loader import render_to_string
from django.utils import timezone
from reportlab.lib.units import mm
from reportlab.platypus import Paragraph, Spacer

from core import pdf
from core.money import format_money

TITLE = "Your weekly charge for care at home"
MIG = "The amount you keep for everyday living (Minimum Income Guarantee)"
# What the statute sets when neither the policy nor the year says otherwise (regulation 12, 2014 regulations).
STATUTORY_CAPITAL_LOWER = Decimal("14250.00")
STATUTORY_CAPITAL_UPPER = Decimal("23250.00")

# Housing cost labels from the calculation, as a client would say them.
PLAIN_LABELS = {
    "Rent (net of Housing Benefit)": "Rent (after Housing Benefit)",
    "Council tax (net of support)": "Council Tax (after Council Tax Support)",
}
_CONVERSION = re.compile(r"^income: (?P<amount>[\d.]+) (?P<period>.+) is (?P<weekly>[\d.]+) a week$")
_SAVINGS_CREDIT_LIMIT = re.compile(r"up to (?P<limit>[\d.]+)")


@dataclass(frozen=True)
class Row:
    """One line of the working: what it is, the amount, and (sometimes) a sentence on why."""

    label: str
    amount: str
    note: str = ""


@dataclass(frozen=True)
class ChargeLetterContent:
    """Every word of the letter, from which the HTML and the PDF are laid out."""

    organisation: str
    sender: list[str]  # the council's name, address, phone and e-mail, the date and our reference
    recipient: list[str]  # the client's name and address
    date: str
    reference: str
    salutation: str
    title: str
    opening: str
    charge: str
    summary: list[str]
    working_intro: str
    working: list[Row]  # a week's working; the last row is the weekly charge
    capital: list[Row]  # savings and other capital, with their total (not a weekly amount)
    capital_text: list[str]
    review: list[str]
    signature: list[str]

    @property
    def footer(self) -> str:
        return f"{self.title} · {self.recipient[0]} · our reference {self.reference}"


def _date(value) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    return f"{value.day} {value:%B %Y}"


def _pounds(value: Decimal) -> str:
    """A limit as it is said: £14,250 (pence shown only when there are some)."""
    money = format_money(value)
    return money[:-3] if money.endswith(".00") else money


def _money_text(value: str) -> str:
    try:
        return format_money(Decimal(value))
    except (InvalidOperation, TypeError):
        return value


def reference(assessment) -> str:
    """The reference the client quotes when they contact us about this charge."""
    return f"FA{assessment.pk:06d}"


def salutation(client) -> str:
    """The greeting: with a title, "Dear Mr Wiśniewski"; without one, the name as recorded, "Dear Łukasz Wiśniewski"."""
    if client.title.strip():
        return f"Dear {client.title.strip()} {client.last_name}"
    return f"Dear {client.full_name}"


def capital_limits(assessment) -> tuple[Decimal, Decimal]:
    """The capital limits the calculation used: the council's policy, else the year's, else the statute's."""
    policy, rates = assessment.policy, assessment.rates
    lower = (policy and policy.capital_lower) or (rates and rates.capital_lower) or STATUTORY_CAPITAL_LOWER
    upper = (policy and policy.capital_upper) or (rates and rates.capital_upper) or STATUTORY_CAPITAL_UPPER
    return Decimal(lower), Decimal(upper)


def _sender(organisation, *, date: str, ref: str) -> list[str]:
    lines = [organisation.name, *(line.strip() for line in organisation.address.splitlines() if line.strip())]
    if organisation.phone:
        lines.append(f"Phone: {organisation.phone}")
    if organisation.email:
        lines.append(f"Email: {organisation.email}")
    return [*lines, "", f"Date: {date}", f"Our reference: {ref}"]  # "": a blank line before the date


def _how_to_contact(organisation) -> str:
    """How to reach the council: by phone, e-mail or letter, naming only the ways it has recorded."""
    ways = [
        f"phone us on {organisation.phone}" if organisation.phone else "",
        f"email {organisation.email}" if organisation.email else "",
        "write to us at the address at the top of this letter" if organisation.address.strip() else "",
    ]
    ways = [way for way in ways if way]
    if not ways:
        return f"contact {organisation.name}"
    return ", ".join(ways[:-1]) + (" or " if len(ways) > 1 else "") + ways[-1]


def _disregard_note(treatment: str) -> str:
    why = treatment.removeprefix("disregard:").strip()
    if "night element" in why:
        return "We do not count the extra paid for care at night, because you do not get care at night."
    if "savings credit" in why:
        limit = _SAVINGS_CREDIT_LIMIT.search(why)
        if limit:
            return f"We do not count up to {_money_text(limit['limit'])} a week of Pension Credit savings credit."
        return "We do not count Pension Credit savings credit."
    return ""


def _premium_note(label: str, amount: str) -> str:
    extra = format_money(abs(Decimal(amount)))
    if "enhanced disability premium" in label:
        return f"This includes {extra} because you get the highest rate of a disability benefit."
    if "disability premium" in label:
        return f"This includes {extra} because you get a disability benefit."
    if "carer premium" in label:
        return f"This includes {extra} because you get Carer's Allowance."
    return f"This includes {extra} extra."


def _working(result: dict, *, lower: Decimal) -> list[Row]:
    """The week's working from the calculation's breakdown, in the client's words."""
    rows: list[Row] = []
    mig_notes: list[str] = []
    mig_at = None
    for line in result.get("lines", []):
        label, amount, treatment = line.get("label", ""), line.get("amount", "0"), line.get("treatment", "")
        kind = treatment.split(":")[0]
        if kind == "income":
            conversion = _CONVERSION.match(treatment)
            note = ""
            if conversion:
                note = (
                    f"{_money_text(conversion['amount'])} {conversion['period']} is "
                    f"{_money_text(conversion['weekly'])} a week."
                )
            rows.append(Row(f"Your income: {label}", _money_text(amount), note))
        elif kind == "disregard":
            name = label.removesuffix(": disregarded")
            rows.append(Row(f"Income we do not count: {name}", _money_text(amount), _disregard_note(treatment)))
        elif label == "Tariff income":
            rows.append(
                Row(
                    "What your savings count as",
                    _money_text(amount),
                    f"Savings above {_pounds(lower)} count as £1 a week for each £250, or part of £250.",
                )
            )
        elif kind == "protected income":
            if mig_at is None:
                mig_at = len(rows)
                rows.append(Row(MIG, format_money(-Decimal(result.get("mig", "0")))))
            if treatment == "protected income: premium":
                mig_notes.append(_premium_note(label, amount))
        elif kind == "housing cost":
            rows.append(Row(f"Your housing costs: {PLAIN_LABELS.get(label, label)}", _money_text(amount)))
        elif kind == "DRE":
            name = "a set amount" if label == "Disability-related expenditure (flat rate)" else label
            rows.append(Row(f"Extra costs because of your disability or illness: {name}", _money_text(amount)))
        elif kind == "assessable income":
            rows.append(Row("Left over each week", _money_text(amount)))
        elif kind == "taper":
            percent = label.split("%")[0]
            rows.append(Row(f"You pay {percent}% of what is left over", _money_text(amount)))
        elif kind == "cap" and "cost of care" in label:
            rows.append(Row("You never pay more than your care costs", _money_text(amount)))
        elif kind == "cap":
            rows.append(Row("The most the council charges anyone for care at home", _money_text(amount)))
        elif kind == "nil":
            minimum = label.removeprefix("Below the minimum charge of ")
            rows.append(Row(f"We do not charge less than {_money_text(minimum)} a week", _money_text(amount)))
        elif kind == "charge":
            rows.append(Row("Your weekly charge", _money_text(amount)))
    if mig_at is not None:
        note = " ".join(
            [
                "The law says you must keep at least this much each week after paying towards your care.",
                *mig_notes,
            ]
        )
        rows[mig_at] = Row(MIG, rows[mig_at].amount, note)
    return rows


def _capital(result: dict, *, lower: Decimal, upper: Decimal) -> tuple[list[Row], list[str]]:
    rows = []
    for line in result.get("lines", []):
        treatment = line.get("treatment", "")
        if treatment == "capital":
            rows.append(Row(line["label"], _money_text(line["amount"])))
        elif treatment == "capital: half counted":
            label = line["label"].removesuffix(" (jointly owned)")
            rows.append(Row(f"{label}: half of it, as you own it jointly", _money_text(line["amount"])))
    if not rows:
        return [], []
    total = Decimal(result.get("capital", "0"))
    rows.append(Row("Total", format_money(total)))
    if result.get("full_cost"):
        text = [f"This is more than {_pounds(upper)}, so you pay the full cost of your care."]
    elif total <= lower:
        text = [f"Savings and other capital up to {_pounds(lower)} are not counted, so yours add nothing."]
    else:
        text = [
            f"Savings and other capital up to {_pounds(lower)} are not counted. Above that, they count as £1 a "
            f"week of income for each £250, or part of £250, up to {_pounds(upper)}: yours count as "
            f"{format_money(Decimal(result.get('tariff_income', '0')))} a week."
        ]
    return rows, text


def letter_content(*, assessment) -> ChargeLetterContent:
    """The letter's words, for a complete assessment (from its stored result)."""
    client, organisation, result = assessment.client, assessment.organisation, assessment.result or {}
    lower, upper = capital_limits(assessment)
    ref, date = reference(assessment), _date(assessment.completed_at)
    weekly = Decimal(result.get("weekly_charge") or "0")
    starts = _date(assessment.effective_date)
    if weekly > 0:
        charge = f"From {starts} you will pay {format_money(weekly)} a week."
    else:
        charge = f"From {starts} you will pay nothing towards your care (£0.00 a week)."
    summary = []
    if result.get("full_cost"):
        summary.append(
            f"This is because your savings and other capital are more than {_pounds(upper)}: you pay the full "
            "cost of your care."
        )
    elif result.get("capped_at_care_cost"):
        summary.append("This is the full cost of your care. You never pay more than your care costs.")
    capital_rows, capital_text = _capital(result, lower=lower, upper=upper)
    by = assessment.completed_by
    return ChargeLetterContent(
        organisation=organisation.name,
        sender=_sender(organisation, date=date, ref=ref),
        recipient=[client.full_name, *client.address_lines],
        date=date,
        reference=ref,
        salutation=f"{salutation(client)},",
        title=TITLE,
        opening=(
            "We have looked at your income, savings and costs to work out what you pay towards the care and "
            "support you get at home."
        ),
        charge=charge,
        summary=summary,
        working_intro="All amounts are for one week. Amounts with a minus sign (−) are taken off.",
        working=[] if result.get("full_cost") else _working(result, lower=lower),
        capital=capital_rows,
        capital_text=capital_text,
        review=[
            "You can ask us to review the charge if you think it is wrong, for example if your income or costs "
            "are different from what we used, or a cost of your disability or illness has been missed. To ask "
            f"for a review, {_how_to_contact(organisation)} within one month of the date of this letter, and "
            f"give your reference, {ref}.",
            "We will look at your charge again and write to you. You can ask someone to help you, such as a "
            "family member, a carer or an advice service.",
            "Please tell us if your income, savings or costs change, because your charge may change too.",
        ],
        signature=["Yours sincerely,", (by.get_full_name() or by.username) if by else "", organisation.name],
    )


def letter_html(*, assessment) -> str:
    """The letter's body as shown on the printable page (kept word for word once issued)."""
    return render_to_string("assessments/includes/_letter_body.html", {"letter": letter_content(assessment=assessment)})


def _rows_table(rows: list[Row], heading: str, amount_heading: str):
    s = pdf.styles()
    data = [[heading, amount_heading]]
    for number, row in enumerate(rows, start=1):
        style = s.cell_bold if number == len(rows) else s.cell  # the last row is the total
        data.append([Paragraph(pdf.with_note(row.label, row.note), style), row.amount])
    return pdf.table(data, [135 * mm, 35 * mm], total=True, numeric=(1,))


def letter_story(*, assessment) -> list:
    """The letter's flowables, in reading order (the PDF is this story laid out on A4)."""
    return _story(letter_content(assessment=assessment))


def _story(letter: ChargeLetterContent) -> list:
    s = pdf.styles()
    story = [
        pdf.address_block(recipient=letter.recipient, sender=letter.sender),
        Paragraph(pdf.text(letter.title), s.title),
        Paragraph(pdf.text(letter.salutation), s.body),
        Paragraph(pdf.text(letter.opening), s.body),
        Paragraph(pdf.text(letter.charge), s.lead),
        *(Paragraph(pdf.text(paragraph), s.body) for paragraph in letter.summary),
    ]
    if letter.working:
        story += [
            Paragraph("How we worked this out", s.heading),
            Paragraph(pdf.text(letter.working_intro), s.intro),
            _rows_table(letter.working, "What we looked at", "£ a week"),
        ]
    if letter.capital:
        story += [
            Paragraph("Your savings and other capital", s.heading),
            _rows_table(letter.capital, "What you have", "£"),
            Spacer(1, 2 * mm),
            *(Paragraph(pdf.text(paragraph), s.body) for paragraph in letter.capital_text),
        ]
    story.append(Paragraph("If you think this is wrong", s.heading))
    story += [Paragraph(pdf.text(paragraph), s.body) for paragraph in letter.review[:-1]]
    story.append(pdf.signature(letter.signature, last_paragraph=letter.review[-1]))
    return story


def letter_pdf(*, assessment, compress: bool = True) -> bytes:
    """The letter as an A4 PDF. `compress=False` writes the page streams uncompressed and the bytes
    repeatable (for tests)."""
    letter = letter_content(assessment=assessment)
    return pdf.render(
        _story(letter),
        title=f"{letter.title}: {letter.recipient[0]}",
        organisation=letter.organisation,
        footer=letter.footer,
        compress=compress,
    )
