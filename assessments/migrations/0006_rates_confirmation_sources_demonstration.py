"""Rates years are confirmed before use; each cell can name its source; demonstration figures are flagged;
reminders to finance leads are recorded once. Cells are labelled in the plain words of `rate_cells`.

Every version that already exists is marked confirmed: until now every version was in force as soon as
it was saved, and the seeded ones (0002, 0005) were checked against the public sources they cite. A
version saved from now on is a draft until a finance lead confirms it.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.models import F


def confirm_existing(apps, schema_editor):
    RatesYear = apps.get_model("assessments", "RatesYear")
    RatesYear.objects.filter(status="draft").update(status="confirmed", confirmed_at=F("created_at"))


def unconfirm(apps, schema_editor):
    apps.get_model("assessments", "RatesYear").objects.update(status="draft", confirmed_at=None, confirmed_by=None)


class Migration(migrations.Migration):
    dependencies = [
        ("assessments", "0005_rates_verified_cells_version_2"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="RatesReminder",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("start_year", models.PositiveSmallIntegerField()),
                ("month", models.DateField(help_text="The first day of the month the reminder was sent in.")),
                (
                    "state",
                    models.CharField(
                        choices=[("missing", "Not entered"), ("unconfirmed", "Entered, not confirmed")], max_length=20
                    ),
                ),
                ("sent_at", models.DateTimeField(auto_now_add=True)),
            ],
            options={
                "ordering": ["-sent_at"],
            },
        ),
        migrations.AddField(
            model_name="historicalratesyear",
            name="cell_sources",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Where each figure comes from, by cell (the year's source otherwise).",
            ),
        ),
        migrations.AddField(
            model_name="historicalratesyear",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="historicalratesyear",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                db_constraint=False,
                null=True,
                on_delete=django.db.models.deletion.DO_NOTHING,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="historicalratesyear",
            name="is_demonstration",
            field=models.BooleanField(
                default=False,
                help_text="Made-up figures for a demonstration site; shown as such wherever the rates are shown.",
                verbose_name="Demonstration figures — not for live use",
            ),
        ),
        migrations.AddField(
            model_name="historicalratesyear",
            name="status",
            field=models.CharField(
                choices=[("draft", "Waiting for confirmation"), ("confirmed", "Confirmed")],
                default="draft",
                max_length=20,
            ),
        ),
        migrations.AddField(
            model_name="ratesyear",
            name="cell_sources",
            field=models.JSONField(
                blank=True,
                default=dict,
                help_text="Where each figure comes from, by cell (the year's source otherwise).",
            ),
        ),
        migrations.AddField(
            model_name="ratesyear",
            name="confirmed_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="ratesyear",
            name="confirmed_by",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AddField(
            model_name="ratesyear",
            name="is_demonstration",
            field=models.BooleanField(
                default=False,
                help_text="Made-up figures for a demonstration site; shown as such wherever the rates are shown.",
                verbose_name="Demonstration figures — not for live use",
            ),
        ),
        migrations.AddField(
            model_name="ratesyear",
            name="status",
            field=models.CharField(
                choices=[("draft", "Waiting for confirmation"), ("confirmed", "Confirmed")],
                default="draft",
                max_length=20,
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="attendance_allowance_higher",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Higher rate of Attendance Allowance",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="attendance_allowance_lower",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Lower rate of Attendance Allowance",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="capital_lower",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Lower capital limit"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="capital_upper",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Upper capital limit"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="child_premium",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Amount for each dependent child"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="disability_premium_couple",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Disability premium for a member of a couple",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="dla_care_highest",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Highest rate of DLA care"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="dla_care_lowest",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Lowest rate of DLA care"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="dla_care_middle",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Middle rate of DLA care"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="enhanced_disability_premium_couple",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Enhanced disability premium for a member of a couple",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="guarantee_credit_couple",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Pension Credit guarantee credit for a couple",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="guarantee_credit_single",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Pension Credit guarantee credit for a single person",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="mig_couple_pension_age",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for each member of a couple over State Pension age",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="mig_couple_working_age",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for each member of a couple under State Pension age",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="mig_single_18_24",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for people aged 18 to 24",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="mig_single_25_to_pension_age",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for people aged 25 to State Pension age",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="mig_single_pension_age",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for people over State Pension age",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="pension_credit_age",
            field=models.PositiveSmallIntegerField(default=66, verbose_name="State Pension age"),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="pip_daily_living_enhanced",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Enhanced rate of PIP daily living"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="pip_daily_living_standard",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Standard rate of PIP daily living"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="pip_mobility_enhanced",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Enhanced rate of PIP mobility"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="pip_mobility_standard",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Standard rate of PIP mobility"
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="savings_credit_disregard_couple",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Savings credit disregard for a couple",
            ),
        ),
        migrations.AlterField(
            model_name="historicalratesyear",
            name="savings_credit_disregard_single",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Savings credit disregard for a single person",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="attendance_allowance_higher",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Higher rate of Attendance Allowance",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="attendance_allowance_lower",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Lower rate of Attendance Allowance",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="capital_lower",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Lower capital limit"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="capital_upper",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Upper capital limit"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="child_premium",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Amount for each dependent child"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="disability_premium_couple",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Disability premium for a member of a couple",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="dla_care_highest",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Highest rate of DLA care"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="dla_care_lowest",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Lowest rate of DLA care"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="dla_care_middle",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Middle rate of DLA care"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="enhanced_disability_premium_couple",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Enhanced disability premium for a member of a couple",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="guarantee_credit_couple",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Pension Credit guarantee credit for a couple",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="guarantee_credit_single",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Pension Credit guarantee credit for a single person",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="mig_couple_pension_age",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for each member of a couple over State Pension age",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="mig_couple_working_age",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for each member of a couple under State Pension age",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="mig_single_18_24",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for people aged 18 to 24",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="mig_single_25_to_pension_age",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for people aged 25 to State Pension age",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="mig_single_pension_age",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Minimum Income Guarantee for people over State Pension age",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="pension_credit_age",
            field=models.PositiveSmallIntegerField(default=66, verbose_name="State Pension age"),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="pip_daily_living_enhanced",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Enhanced rate of PIP daily living"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="pip_daily_living_standard",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Standard rate of PIP daily living"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="pip_mobility_enhanced",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Enhanced rate of PIP mobility"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="pip_mobility_standard",
            field=models.DecimalField(
                blank=True, decimal_places=2, max_digits=12, null=True, verbose_name="Standard rate of PIP mobility"
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="savings_credit_disregard_couple",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Savings credit disregard for a couple",
            ),
        ),
        migrations.AlterField(
            model_name="ratesyear",
            name="savings_credit_disregard_single",
            field=models.DecimalField(
                blank=True,
                decimal_places=2,
                max_digits=12,
                null=True,
                verbose_name="Savings credit disregard for a single person",
            ),
        ),
        migrations.AddConstraint(
            model_name="ratesyear",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "confirmed"), _negated=True), ("confirmed_at__isnull", False), _connector="OR"
                ),
                name="assessments_rates_confirmed_has_time",
            ),
        ),
        migrations.AddField(
            model_name="ratesreminder",
            name="recipient",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE, related_name="+", to=settings.AUTH_USER_MODEL
            ),
        ),
        migrations.AddConstraint(
            model_name="ratesreminder",
            constraint=models.UniqueConstraint(
                fields=("recipient", "start_year", "month", "state"), name="assessments_rates_reminder_once"
            ),
        ),
        migrations.RunPython(confirm_existing, unconfirm),
    ]
