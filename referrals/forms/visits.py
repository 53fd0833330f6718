"""Forms for visits: book or change a visit, and record how it went."""

import re
from datetime import datetime, time

from crispy_forms_gds.helper import FormHelper
from crispy_forms_gds.layout import Field, Layout, Size, Submit
from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from core.forms import GovDateField

from ..models import Client, Referral, Visit
from ..selectors.visits import visit_officer_candidates, visit_referral_candidates

_TIME = re.compile(r"^(?P<hour>\d{1,2})(?:[:.](?P<minute>\d{2}))?\s*(?P<half>am|pm)?$", re.IGNORECASE)


def parse_time(text: str) -> time:
    """'14:30', '14.30', '9:05', '2:30pm' or '10am' as a time; ValueError if it is not a real time."""
    match = _TIME.match((text or "").strip())
    if not match:
        raise ValueError(text)
    hour, minute, half = int(match["hour"]), int(match["minute"] or 0), (match["half"] or "").lower()
    if match["minute"] is None and not half:
        raise ValueError(text)  # "14" alone could be a typo: ask for minutes
    if half:
        if not 1 <= hour <= 12:
            raise ValueError(text)
        hour = hour % 12 + (12 if half == "pm" else 0)
    return time(hour, minute)  # ValueError for 25:99


class OfficerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, user):
        membership = getattr(user, "membership", None)
        name = user.get_full_name() or user.username
        return f"{name}, {membership.organisation.display_name}" if membership else name


class ReferralChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, referral):
        return f"{referral.reference}: {referral.get_referral_type_display()} ({referral.to_organisation.display_name})"


class VisitForm(forms.Form):
    kind = forms.ChoiceField(
        label="What kind of visit is it?",
        choices=Visit.Kind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the kind of visit"},
    )
    date = GovDateField(what="Date of the visit", help_text="For example, 27 11 2026")
    time = forms.CharField(
        label="Time",
        max_length=10,
        help_text="Use the 24-hour clock, for example 14:30",
        error_messages={"required": "Enter the time of the visit"},
    )
    place = forms.CharField(
        label="Where? (optional)",
        required=False,
        max_length=200,
        help_text="Leave blank for the client's home",
    )
    officers = OfficerChoiceField(
        queryset=get_user_model().objects.none(),
        widget=forms.CheckboxSelectMultiple,
        label="Who is going?",
        help_text="Choose officers from more than one organisation for a joint visit",
        error_messages={"required": "Select at least one officer"},
    )
    purposes = forms.MultipleChoiceField(
        choices=Visit.Purpose.choices,
        widget=forms.CheckboxSelectMultiple,
        label="What is the visit for?",
        error_messages={"required": "Select at least one purpose"},
    )
    referrals = ReferralChoiceField(
        queryset=Referral.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
        label="Which referrals does it serve? (optional)",
    )
    notes = forms.CharField(label="Notes (optional)", required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, client: Client, user, visit: Visit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.client = client
        # Someone already on the visit stays choosable even if their organisation no longer fits.
        self.fields["officers"].queryset = visit_officer_candidates(
            client=client, user=user, keep=visit.officers.all() if visit else ()
        )
        self.fields["referrals"].queryset = visit_referral_candidates(client=client, user=user, visit=visit)
        if not self.fields["referrals"].queryset.exists():
            del self.fields["referrals"]
        if not self.is_bound:
            if visit is None:
                self.initial.setdefault("kind", Visit.Kind.HOME)
                self.initial.setdefault("officers", [user.pk])
            else:
                local = timezone.localtime(visit.starts_at)
                self.initial.update(
                    kind=visit.kind,
                    date=local.date(),
                    time=f"{local:%H:%M}",
                    place=visit.place,
                    officers=[officer.pk for officer in visit.officers.all()],
                    purposes=visit.purposes,
                    referrals=[referral.pk for referral in visit.referrals.all()],
                    notes=visit.notes,
                )
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.SMALL
        fields = [
            Field.radios("kind", inline=True),
            Field("date"),
            Field.text("time", field_width=5),
            Field.text("place"),
            Field.checkboxes("officers"),
            Field.checkboxes("purposes"),
        ]
        if "referrals" in self.fields:
            fields.append(Field.checkboxes("referrals"))
        fields += [Field.textarea("notes", rows=3), Submit("submit", "Save visit" if visit else "Book visit")]
        self.helper.layout = Layout(*fields)

    def clean_time(self):
        text = self.cleaned_data["time"]
        try:
            return parse_time(text)
        except ValueError as exc:
            raise forms.ValidationError("Enter a real time, like 14:30 or 2:30pm", code="invalid_time") from exc

    def clean(self):
        cleaned = super().clean()
        day, at = cleaned.get("date"), cleaned.get("time")
        if day and at:
            cleaned["starts_at"] = timezone.make_aware(datetime.combine(day, at))
        cleaned.setdefault("referrals", [])
        return cleaned


class VisitRecordForm(forms.Form):
    status = forms.ChoiceField(
        label="Did the visit take place?",
        choices=[(Visit.Status.DONE, "Yes, the visit took place"), (Visit.Status.CANCELLED, "No, it was cancelled")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select whether the visit took place or was cancelled"},
    )
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="What happened, what was agreed and what happens next. If cancelled, say why",
        error_messages={"required": "Enter notes about the visit"},
    )

    def __init__(self, *args, visit: Visit, **kwargs):
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("notes", visit.notes)
        self.helper = FormHelper()
        self.helper.label_size = Size.SMALL
        self.helper.legend_size = Size.MEDIUM
        self.helper.layout = Layout(
            Field.radios("status"),
            Field.textarea("notes", rows=5),
            Submit("submit", "Record the visit"),
        )


class MyVisitsFilterForm(forms.Form):
    """'My visits' shows a week; the home page's count of visits not yet recorded links to show=not_recorded."""

    NOT_RECORDED = "not_recorded"

    show = forms.ChoiceField(required=False, choices=[("", "A week's visits"), (NOT_RECORDED, "Not yet recorded")])
