"""Views: clients and consent (list and search, add, see, change, history; record and withdraw consent)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render

from core.access import has_role, organisation_of, organisation_required, role_required
from core.audit import record_view_log
from core.forms import apply_service_errors
from partnerships.models import CASEWORK_ROLES, MANAGER_ROLES, Role

from ..forms import CLIENT_FIELDS, ClientForm, ClientSearchForm, ConsentForm, ConsentWithdrawForm
from ..models import Client, Consent
from ..selectors import (
    client_get_with_consents,
    client_history,
    client_list_for_user,
    client_list_held_by_user,
    client_possible_duplicates,
    client_search,
    client_timeline,
    consent_get_for_user,
)
from ..services import client_create, client_update, consent_record, consent_withdraw

PAGE_SIZE = 25


def _client_or_404(request, pk):
    return get_object_or_404(client_list_for_user(user=request.user), pk=pk)


def _held_client_or_404(request, pk):
    """For changes: only the organisation holding the record may change it or its consents."""
    return get_object_or_404(client_list_held_by_user(user=request.user), pk=pk)


@login_required
@organisation_required
def client_list_view(request):
    form = ClientSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    clients = client_search(user=request.user, query=query)
    page = Paginator(clients, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/client_list.html",
        {"form": form, "query": query, "page": page, "can_create": has_role(request.user, *CASEWORK_ROLES)},
    )


@login_required
@role_required(*CASEWORK_ROLES)
def client_create_view(request):
    duplicates = []
    form = ClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        duplicates = client_possible_duplicates(
            user=request.user,
            first_name=data["first_name"],
            last_name=data["last_name"],
            date_of_birth=data["date_of_birth"],
            nino=data["nino"],
        )
        if duplicates and not data.get("confirm_not_duplicate"):
            # Show the possible matches; submitting again creates the client anyway.
            post = request.POST.copy()
            post["confirm_not_duplicate"] = "True"
            form = ClientForm(post)
            form.is_valid()
        else:
            try:
                client = client_create(
                    by=request.user,
                    organisation=organisation_of(request.user),
                    **{name: data[name] for name in CLIENT_FIELDS},
                )
            except ValidationError as exc:
                apply_service_errors(form, exc)
            else:
                messages.success(request, f"{client.full_name} has been added.")
                return redirect(client)
    return render(request, "referrals/client_form.html", {"form": form, "duplicates": duplicates, "client": None})


@login_required
@organisation_required
def client_detail_view(request, pk):
    try:
        client = client_get_with_consents(user=request.user, pk=pk)
    except Client.DoesNotExist as exc:
        raise Http404("No such client") from exc
    record_view_log(user=request.user, record=client)
    timeline = client_timeline(client=client, user=request.user)
    return render(
        request,
        "referrals/client_detail.html",
        {
            "client": client,
            "consents": client.consents.all(),
            "timeline": timeline[:10],
            "timeline_more": max(0, len(timeline) - 10),
            "can_edit": has_role(request.user, *CASEWORK_ROLES)
            and client.organisation_id == organisation_of(request.user).pk,
            "can_see_history": has_role(request.user, *MANAGER_ROLES),
            "can_book_visit": has_role(request.user, *CASEWORK_ROLES),
            # Financial assessments are council business (DESIGN.md, access and audit).
            "can_assess": has_role(request.user, *CASEWORK_ROLES)
            and organisation_of(request.user).kind in ("council", "district_council"),
            # Direct payments are set up by the holding council's finance officers.
            "can_set_up_direct_payment": has_role(request.user, Role.FINANCE_OFFICER)
            and client.organisation_id == organisation_of(request.user).pk,
        },
    )


@login_required
@role_required(*CASEWORK_ROLES)
def client_edit_view(request, pk):
    client = _held_client_or_404(request, pk)
    form = ClientForm(request.POST or None, instance=client)
    if request.method == "POST" and form.is_valid():
        try:
            client = client_update(
                client=client, by=request.user, **{name: form.cleaned_data[name] for name in CLIENT_FIELDS}
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The client's details have been updated.")
            return redirect(client)
    return render(request, "referrals/client_form.html", {"form": form, "client": client, "duplicates": []})


@login_required
@role_required(*MANAGER_ROLES)
def client_history_view(request, pk):
    client = _client_or_404(request, pk)
    return render(
        request, "referrals/client_history.html", {"client": client, "entries": client_history(client=client)}
    )


@login_required
@role_required(*CASEWORK_ROLES)
def consent_create_view(request, pk):
    client = _held_client_or_404(request, pk)
    form = ConsentForm(request.POST or None, client=client)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            consent_record(
                client=client,
                by=request.user,
                organisations=data["organisations"],
                purposes=data["purposes"],
                method=data["method"],
                given_by=data["given_by"],
                given_by_name=data["given_by_name"],
                given_on=data["given_on"],
                expires_on=data["expires_on"],
                notes=data["notes"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Consent has been recorded.")
            return redirect(client)
    return render(request, "referrals/consent_form.html", {"form": form, "client": client})


@login_required
@role_required(*CASEWORK_ROLES)
def consent_withdraw_view(request, pk):
    try:
        consent = consent_get_for_user(user=request.user, pk=pk)
    except Consent.DoesNotExist as exc:
        raise Http404("No such consent") from exc
    if consent.withdrawn_on is not None:
        messages.info(request, "This consent has already been withdrawn.")
        return redirect(consent.client)
    form = ConsentWithdrawForm(request.POST or None, consent=consent)
    if request.method == "POST" and form.is_valid():
        try:
            consent_withdraw(
                consent=consent,
                by=request.user,
                withdrawn_on=form.cleaned_data["withdrawn_on"],
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "Consent has been withdrawn.")
            return redirect(consent.client)
    return render(
        request, "referrals/consent_withdraw.html", {"form": form, "consent": consent, "client": consent.client}
    )
