"""Seed the 2023/24, 2024/25 and 2025/26 rates from ../shared/charging/README.md (Care and Support
(Charging and Assessment of Resources) Regulations 2014, reg 7, as amended, and the DHSC circulars).

Cells the README marks unverified, and couple rates we could not verify, are left empty: the engine
refuses a calculation that needs one, naming it. Pension Credit guarantee credit 2024/25 (218.15 single,
332.95 couple) is from CPAG's 2024/25 benefit rates; the other years' are left empty.
"""

from decimal import Decimal

from django.db import migrations

CAPITAL = {"capital_lower": "14250.00", "capital_upper": "23250.00"}

RATES = {
    2023: {
        "mig_single_18_24": "82.15",
        "mig_single_25_to_pension_age": "103.65",
        "mig_single_pension_age": "214.35",
        "disability_premium": "45.75",
        "enhanced_disability_premium": "22.35",
        "carer_premium": "49.05",
        "child_premium": "94.90",
        "attendance_allowance_higher": "101.75",
        "attendance_allowance_lower": "68.10",
        "pip_daily_living_enhanced": "101.75",
        "pip_daily_living_standard": "68.10",
        "pip_mobility_enhanced": "71.00",
        "pip_mobility_standard": "26.90",
        "dla_care_highest": "101.75",
        "dla_care_middle": "68.10",
        "dla_care_lowest": "26.90",
        "savings_credit_disregard_single": "6.50",
        "savings_credit_disregard_couple": "9.75",
        **CAPITAL,
    },
    2024: {
        "mig_single_18_24": "87.65",
        "mig_single_25_to_pension_age": "110.60",
        "mig_single_pension_age": "228.70",
        "disability_premium": "48.80",
        "enhanced_disability_premium": "23.85",
        "carer_premium": "52.35",
        "child_premium": "101.25",
        "attendance_allowance_higher": "108.55",
        "attendance_allowance_lower": "72.65",
        "pip_daily_living_enhanced": "108.55",
        "pip_daily_living_standard": "72.65",
        "pip_mobility_enhanced": "75.75",
        "pip_mobility_standard": "28.70",
        "dla_care_highest": "108.55",
        "dla_care_middle": "72.65",
        "dla_care_lowest": "28.70",
        "savings_credit_disregard_single": "6.95",
        "savings_credit_disregard_couple": "10.40",
        "guarantee_credit_single": "218.15",
        "guarantee_credit_couple": "332.95",
        **CAPITAL,
    },
    2025: {
        "mig_single_18_24": "89.15",
        "mig_single_25_to_pension_age": "112.50",
        # Pension Credit age 232.60, carer premium, child, benefit rates: unverified, left empty.
        "disability_premium": "49.65",
        "enhanced_disability_premium": "24.25",
        **CAPITAL,
    },
}


def seed(apps, schema_editor):
    RatesYear = apps.get_model("assessments", "RatesYear")
    ChargingPolicy = apps.get_model("assessments", "ChargingPolicy")
    for start_year, figures in RATES.items():
        RatesYear.objects.get_or_create(
            start_year=start_year,
            version=1,
            defaults={
                **{name: Decimal(value) for name, value in figures.items()},
                "source": "../shared/charging/README.md (reg 7 as amended; DHSC circulars)",
            },
        )
    if not ChargingPolicy.objects.exists():
        # Statutory defaults; the council sets its flat-rate DRE, taper and limits in the admin.
        ChargingPolicy.objects.create(effective_from="2023-04-06")


def unseed(apps, schema_editor):
    apps.get_model("assessments", "RatesYear").objects.filter(start_year__in=RATES, version=1).delete()


class Migration(migrations.Migration):
    dependencies = [("assessments", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
