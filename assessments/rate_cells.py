"""The cells of a year's rates table in plain words: the one mapping from a cell's code name to what a
caseworker, a finance lead or a member of the public reads. Every page, message, form and letter that
names a cell takes its words from here; a code name such as `mig_single_pension_age` is never shown.

Each label reads after "the": "The council has not yet entered the {label} for 2026/27."
"""

from django.utils.text import capfirst

# Uprating groups: the published uprating is given as one percentage per group (or figure by figure).
MIG = "mig"
PREMIUMS = "premiums"
DISABILITY_BENEFITS = "disability_benefits"
PENSION_CREDIT = "pension_credit"
CAPITAL = "capital"

GROUPS: dict[str, str] = {
    MIG: "Minimum Income Guarantee",
    PREMIUMS: "Premiums added to the Minimum Income Guarantee",
    DISABILITY_BENEFITS: "Disability benefits (used for the night-time disregard)",
    PENSION_CREDIT: "Pension Credit",
    CAPITAL: "Capital limits",
}

# Each group as it reads inside a sentence ("Enter the uprating for the premiums as a number").
GROUP_NOUNS: dict[str, str] = {
    MIG: "the Minimum Income Guarantee",
    PREMIUMS: "the premiums",
    DISABILITY_BENEFITS: "disability benefits",
    PENSION_CREDIT: "Pension Credit",
    CAPITAL: "the capital limits",
}

# code name -> (group, plain words). The order is the order on every page.
CELLS: dict[str, tuple[str, str]] = {
    "mig_single_18_24": (MIG, "Minimum Income Guarantee for people aged 18 to 24"),
    "mig_single_25_to_pension_age": (MIG, "Minimum Income Guarantee for people aged 25 to State Pension age"),
    "mig_single_pension_age": (MIG, "Minimum Income Guarantee for people over State Pension age"),
    "mig_couple_working_age": (MIG, "Minimum Income Guarantee for each member of a couple under State Pension age"),
    "mig_couple_pension_age": (MIG, "Minimum Income Guarantee for each member of a couple over State Pension age"),
    "disability_premium": (PREMIUMS, "disability premium"),
    "enhanced_disability_premium": (PREMIUMS, "enhanced disability premium"),
    "carer_premium": (PREMIUMS, "carer premium"),
    "disability_premium_couple": (PREMIUMS, "disability premium for a member of a couple"),
    "enhanced_disability_premium_couple": (PREMIUMS, "enhanced disability premium for a member of a couple"),
    "child_premium": (PREMIUMS, "amount for each dependent child"),
    "attendance_allowance_higher": (DISABILITY_BENEFITS, "higher rate of Attendance Allowance"),
    "attendance_allowance_lower": (DISABILITY_BENEFITS, "lower rate of Attendance Allowance"),
    "pip_daily_living_enhanced": (DISABILITY_BENEFITS, "enhanced rate of PIP daily living"),
    "pip_daily_living_standard": (DISABILITY_BENEFITS, "standard rate of PIP daily living"),
    "pip_mobility_enhanced": (DISABILITY_BENEFITS, "enhanced rate of PIP mobility"),
    "pip_mobility_standard": (DISABILITY_BENEFITS, "standard rate of PIP mobility"),
    "dla_care_highest": (DISABILITY_BENEFITS, "highest rate of DLA care"),
    "dla_care_middle": (DISABILITY_BENEFITS, "middle rate of DLA care"),
    "dla_care_lowest": (DISABILITY_BENEFITS, "lowest rate of DLA care"),
    "guarantee_credit_single": (PENSION_CREDIT, "Pension Credit guarantee credit for a single person"),
    "guarantee_credit_couple": (PENSION_CREDIT, "Pension Credit guarantee credit for a couple"),
    "savings_credit_disregard_single": (PENSION_CREDIT, "savings credit disregard for a single person"),
    "savings_credit_disregard_couple": (PENSION_CREDIT, "savings credit disregard for a couple"),
    "capital_lower": (CAPITAL, "lower capital limit"),
    "capital_upper": (CAPITAL, "upper capital limit"),
}

LABELS: dict[str, str] = {name: label for name, (_group, label) in CELLS.items()}

# Who each Minimum Income Guarantee cell is for: the people an estimate or assessment cannot be made for
# while that cell is empty (every other cell is needed only by some people's circumstances).
MIG_PEOPLE: dict[str, str] = {
    "mig_single_18_24": "single people aged 18 to 24",
    "mig_single_25_to_pension_age": "single people aged 25 to State Pension age",
    "mig_single_pension_age": "single people over State Pension age",
    "mig_couple_working_age": "people under State Pension age who live with a partner",
    "mig_couple_pension_age": "people over State Pension age who live with a partner",
}


def label(name: str) -> str:
    """A cell's plain words, as they read inside a sentence."""
    return LABELS[name]


def title(name: str) -> str:
    """A cell's plain words at the start of a line or in a table heading."""
    return capfirst(LABELS[name])


def cells_in(group: str) -> tuple[str, ...]:
    return tuple(name for name, (cell_group, _label) in CELLS.items() if cell_group == group)


def _which(year: str, this_year: bool) -> str:
    return "this year's rates" if this_year else f"the {year} rates"


def staff_message(*, reason: str, year: str, field_name: str | None = None, this_year: bool = False) -> str:
    """Why a charge cannot be worked out, for council staff: what is missing and who can fix it."""
    which = _which(year, this_year)
    if reason == "unconfirmed":
        return (
            f"The council has entered the rates for {year}, but a finance lead has not yet confirmed them. "
            f"Ask a finance lead to check and confirm {which}."
        )
    if reason == "missing_cell":
        return (
            f"The council has not yet entered the {label(field_name)} for {year}. Ask a finance lead to enter {which}."
        )
    return f"The council has not yet entered the rates for {year}. Ask a finance lead to enter {which}."


def public_message(*, reason: str, year: str, field_name: str | None = None) -> str:
    """The same, for a member of the public using the estimator."""
    if reason == "missing_cell":
        return (
            f"We cannot estimate your charge online yet, because the council has not entered the "
            f"{label(field_name)} for {year}. Contact adult social care to ask what you might pay."
        )
    return (
        f"We cannot give estimates online at the moment, because the council has not yet published its "
        f"figures for {year}. Please try again later, or contact adult social care to ask what you might pay."
    )
