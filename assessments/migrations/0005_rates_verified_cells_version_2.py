"""Rates cells verified against public sources after 0002, added as a new version of each year (a year's
figures never change once an assessment has used them; `rates_for_date` takes the latest version).

Only cells that are empty in the latest version are filled: a figure an administrator has already entered
(or corrected) is kept. A year whose cells are all present gets no new version. Cells no public source we
could check states are still empty, and the engine refuses a calculation that needs one, naming it.

Sources (each figure below names its source):
- [GOV-2526] DWP, "Benefit and pension rates 2025 to 2026" (policy paper, updated 21 November 2024),
  https://www.gov.uk/government/publications/benefit-and-pension-rates-2025-to-2026/benefit-and-pension-rates-2025-to-2026
  Attendance Allowance 2025/26: higher 110.40, lower 73.90.
- [RIGHTSNET] rightsnet, "Benefit rates" (2024/25 and 2025/26 columns),
  https://www.rightsnet.org.uk/resources/benefit-rates
  Attendance Allowance 2025/26 110.40 / 73.90; adult disability payment (Scotland's PIP, same rates)
  daily living 110.40 / 73.90, mobility 77.05 / 29.20.
- [DWP-2025-RISES] Daily Record, "DWP confirms 2025 benefit rises including PIP and DLA" (the DWP
  uprating statement for 2025/26), https://uk.news.yahoo.com/dwp-confirms-2025-benefit-rises-113246256.html
  PIP and DLA 2025/26: daily living / care enhanced (highest) 110.40, standard (middle) 73.90, DLA lowest
  care 29.20; mobility enhanced 77.05, standard 29.20.
- [PC-2526] inkl / Daily Record reporting the DWP 2025/26 uprating: Pension Credit standard minimum
  guarantee 227.10 single, 346.60 couple,
  https://inkl.com/news/pension-credit-increase-for-more-than-1-million-people-how-much-will-you-get
- [CPAG-2324] CPAG, "Other means-tested benefit rates 2023/24", https://askcpag.org.uk/?id=-242037
  Pension Credit standard minimum guarantee 2023/24: single 201.05, couple 306.85.

Still empty (no public source found that states them): every couple MIG and couple premium (2023/24 to
2025/26); 2025/26 MIG for Pension Credit age (the README's 232.60 is marked unverified), carer premium,
per-child amount and the 2025/26 savings-credit disregards.
"""

from decimal import Decimal

from django.db import migrations

CORRECTIONS = {
    2023: {
        "guarantee_credit_single": ("201.05", "CPAG-2324"),
        "guarantee_credit_couple": ("306.85", "CPAG-2324"),
    },
    2025: {
        "attendance_allowance_higher": ("110.40", "GOV-2526"),
        "attendance_allowance_lower": ("73.90", "GOV-2526"),
        "pip_daily_living_enhanced": ("110.40", "DWP-2025-RISES, RIGHTSNET"),
        "pip_daily_living_standard": ("73.90", "DWP-2025-RISES, RIGHTSNET"),
        "pip_mobility_enhanced": ("77.05", "DWP-2025-RISES, RIGHTSNET"),
        "pip_mobility_standard": ("29.20", "DWP-2025-RISES, RIGHTSNET"),
        "dla_care_highest": ("110.40", "DWP-2025-RISES"),
        "dla_care_middle": ("73.90", "DWP-2025-RISES"),
        "dla_care_lowest": ("29.20", "DWP-2025-RISES"),
        "guarantee_credit_single": ("227.10", "PC-2526"),
        "guarantee_credit_couple": ("346.60", "PC-2526"),
    },
}
SKIPPED = {"id", "version", "created_at", "source"}


def add_versions(apps, schema_editor):
    RatesYear = apps.get_model("assessments", "RatesYear")
    names = [f.name for f in RatesYear._meta.concrete_fields if f.name not in SKIPPED]
    for start_year, cells in CORRECTIONS.items():
        latest = RatesYear.objects.filter(start_year=start_year).order_by("-version").first()
        if latest is None:
            continue
        filled = {name: value for name, value in cells.items() if getattr(latest, name) is None}
        if not filled:
            continue
        values = {name: getattr(latest, name) for name in names}
        values.update({name: Decimal(value) for name, (value, _source) in filled.items()})
        sources = "; ".join(f"{name} {value} [{source}]" for name, (value, source) in filled.items())
        RatesYear.objects.create(
            version=latest.version + 1,
            source=f"{latest.source}\nVersion {latest.version + 1} fills verified cells: {sources} "
            "(sources in assessments/migrations/0005_rates_verified_cells_version_2.py).",
            **values,
        )


def remove_versions(apps, schema_editor):
    RatesYear = apps.get_model("assessments", "RatesYear")
    for start_year in CORRECTIONS:
        RatesYear.objects.filter(
            start_year=start_year, version__gt=1, source__contains="0005_rates_verified_cells_version_2"
        ).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0004_letter_pdf_and_visit")]
    operations = [migrations.RunPython(add_versions, remove_versions)]
