"""Views: the contacts directory (every member of staff reads it, partnership managers keep it up to
date) and the accreditation register (officers accredited to do a partner organisation's work)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import has_role, organisation_of, organisation_required, role_required
from core.csvfiles import csv_download
from core.forms import apply_service_errors
from core.pagination import page_of, query_string_without_page

from .. import forms, selectors, services
from ..models import Role

# --- Contacts directory ----------------------------------------------------------------------


def _filtered_contacts(request):
    form = forms.ContactFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    contacts = selectors.contact_list(
        query=filters.get("q", ""),
        organisation=filters.get("organisation"),
        function=filters.get("function", ""),
        stale_only=filters.get("stale", False),
    )
    return form, contacts


def _can_manage_contacts(user) -> bool:
    return has_role(user, Role.PARTNERSHIP_MANAGER)


@login_required
@organisation_required
def contact_list_view(request):
    form, contacts = _filtered_contacts(request)
    page = page_of(request, contacts)
    query_string = query_string_without_page(request)
    return render(
        request,
        "partnerships/contact_list.html",
        {
            "filter_form": form,
            "page": page,
            "query_string": query_string,
            "is_filtered": bool(query_string),
            "can_create": _can_manage_contacts(request.user),
        },
    )


@login_required
@organisation_required
def contact_export_view(request):
    """The directory (with the same search and filters as the list) as a CSV file, streamed."""
    _form, contacts = _filtered_contacts(request)
    return csv_download(selectors.contact_export_rows(contacts=contacts), filename="contacts.csv")


@login_required
@organisation_required
def contact_detail_view(request, pk):
    contact = get_object_or_404(selectors.contact_list(), pk=pk)
    can_edit = (
        _can_manage_contacts(request.user)
        and selectors.contact_list_editable_by(user=request.user).filter(pk=pk).exists()
    )
    return render(request, "partnerships/contact_detail.html", {"contact": contact, "can_edit": can_edit})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def contact_create_view(request):
    organisations = selectors.organisations_partnered_with(organisation=organisation_of(request.user))
    form = forms.ContactForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_create(
                by=request.user, **{name: form.cleaned_data[name] for name in forms.CONTACT_FIELDS}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{contact.name} has been added to the directory.")
            return redirect(contact)
    return render(request, "partnerships/contact_form.html", {"form": form, "contact": None})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def contact_edit_view(request, pk):
    contact = get_object_or_404(
        selectors.contact_list_editable_by(user=request.user).select_related("organisation"), pk=pk
    )
    organisations = selectors.organisations_partnered_with(organisation=organisation_of(request.user))
    form = forms.ContactForm(request.POST or None, instance=contact, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        try:
            contact = services.contact_update(
                contact=contact, by=request.user, **{name: form.cleaned_data[name] for name in forms.CONTACT_FIELDS}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The contact's details have been updated.")
            return redirect(contact)
    return render(request, "partnerships/contact_form.html", {"form": form, "contact": contact})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
@require_POST
def contact_verify_view(request, pk):
    contact = get_object_or_404(selectors.contact_list_editable_by(user=request.user), pk=pk)
    contact = services.contact_verify(contact=contact, by=request.user)
    messages.success(request, f"You have confirmed {contact.name}'s details are correct.")
    return redirect(contact)


# --- Accreditation register ------------------------------------------------------------------


def _accreditation_form(request, *, instance=None):
    organisations = selectors.organisations_partnered_with(organisation=organisation_of(request.user))
    return forms.AccreditationForm(
        request.POST or None,
        instance=instance,
        officers=selectors.active_staff_of(organisations=organisations),
        organisations=organisations,
        agreements=selectors.agreement_list_for_user(user=request.user),
    )


@login_required
@organisation_required
def accreditation_list_view(request):
    form = forms.AccreditationFilterForm(request.GET or None)
    today = timezone.localdate()
    expired_only = form.is_valid() and form.cleaned_data["expired"]
    page = page_of(
        request, selectors.accreditation_list_for_user(user=request.user, expired_only=expired_only, on=today)
    )
    return render(
        request,
        "partnerships/accreditation_list.html",
        {
            "filter_form": form,
            "page": page,
            "today": today,
            "query_string": query_string_without_page(request),
            "can_create": has_role(request.user, Role.PARTNERSHIP_MANAGER),
        },
    )


@login_required
@organisation_required
def accreditation_detail_view(request, pk):
    accreditation = get_object_or_404(selectors.accreditation_list_for_user(user=request.user), pk=pk)
    return render(
        request,
        "partnerships/accreditation_detail.html",
        {
            "accreditation": accreditation,
            "today": timezone.localdate(),
            "can_edit": has_role(request.user, Role.PARTNERSHIP_MANAGER),
        },
    )


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def accreditation_create_view(request):
    form = _accreditation_form(request)
    if request.method == "POST" and form.is_valid():
        try:
            accreditation = services.accreditation_create(
                by=request.user, **{name: form.cleaned_data[name] for name in forms.ACCREDITATION_FIELDS}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The accreditation has been recorded.")
            return redirect(accreditation)
    return render(request, "partnerships/accreditation_form.html", {"form": form, "accreditation": None})


@login_required
@role_required(Role.PARTNERSHIP_MANAGER)
def accreditation_edit_view(request, pk):
    accreditation = get_object_or_404(selectors.accreditation_list_for_user(user=request.user), pk=pk)
    form = _accreditation_form(request, instance=accreditation)
    if request.method == "POST" and form.is_valid():
        try:
            accreditation = services.accreditation_update(
                accreditation=accreditation,
                by=request.user,
                **{name: form.cleaned_data[name] for name in forms.ACCREDITATION_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The accreditation has been updated.")
            return redirect(accreditation)
    return render(request, "partnerships/accreditation_form.html", {"form": form, "accreditation": accreditation})
