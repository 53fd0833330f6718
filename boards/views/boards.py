"""Views: boards, their members, the Index of Joint Boards and the secretariat's home page."""

import csv

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from core.access import organisation_required, role_required
from core.forms import apply_service_errors

from .. import forms, selectors, services
from .access import SECRETARY, board_or_404, can_manage, can_set_up_boards, require_manager
from .pages import form_page

# --- Boards ------------------------------------------------------------------------------------


@login_required
@organisation_required
def board_list_view(request):
    return render(
        request,
        "boards/board_list.html",
        {
            "boards": selectors.board_list_with_compliance(user=request.user),
            "can_set_up": can_set_up_boards(request.user),
        },
    )


@login_required
@organisation_required
def board_detail_view(request, pk):
    board = board_or_404(request, pk)
    return render(
        request,
        "boards/board_detail.html",
        {
            "board": board,
            "organisations": board.organisations.order_by("name"),
            "members": board.members.select_related("person", "organisation"),
            "meetings": board.meetings.all(),
            "can_write": can_manage(request, board),
        },
    )


@login_required
@role_required(SECRETARY)
def board_create_view(request):
    form = forms.BoardForm(request.POST or None, initial={"secretariat": request.user.pk})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            board = services.board_create(
                by=request.user,
                organisations=list(data["organisations"]),
                co_chair_a=data["co_chair_a"],
                co_chair_b=data["co_chair_b"],
                secretariat=[data["secretariat"]],
                **{name: data[name] for name in services.BOARD_FIELDS},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, f"{board.title} has been set up.")
            return redirect(board)
    return form_page(request, form, title="Set up a board", caption="Joint Boards", back=reverse("boards:board-list"))


@login_required
@organisation_required
def board_member_add_view(request, pk):
    board = board_or_404(request, pk)
    require_manager(request, board)
    form = forms.BoardMemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.board_member_add(board=board, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The member has been added.")
            return redirect(board)
    return form_page(request, form, title="Add a member", caption=board.title, back=board.get_absolute_url())


@login_required
@organisation_required
def board_edit_view(request, pk):
    board = board_or_404(request, pk)
    require_manager(request, board)
    form = forms.BoardEditForm(request.POST or None, instance=board)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.board_update(
                board=board,
                by=request.user,
                co_chair_a=data["co_chair_a"],
                co_chair_b=data["co_chair_b"],
                **{name: data[name] for name in forms.BoardEditForm.Meta.fields},
            )
        except ValidationError as exc:
            apply_service_errors(form, exc)
        else:
            messages.success(request, "The board has been updated.")
            return redirect(board)
    elif request.method != "POST":
        form.initial.update(co_chair_a=board.co_chair_a_id, co_chair_b=board.co_chair_b_id)
    return form_page(request, form, title="Change the board", caption=board.title, back=board.get_absolute_url())


@login_required
@organisation_required
@require_POST
def board_member_remove_view(request, pk):
    member = get_object_or_404(selectors.board_member_list_for_user(user=request.user), pk=pk)
    require_manager(request, member.board)
    try:
        services.board_member_remove(member=member, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{member.person.get_full_name() or member.person.username} has been removed.")
    return redirect(member.board)


@login_required
@organisation_required
def board_index_view(request):
    """Seed 001, appendix 3: the Index of Joint Boards as a printable page."""
    return render(
        request,
        "boards/board_index.html",
        {"header": selectors.INDEX_HEADER, "rows": selectors.board_index_rows(user=request.user)},
    )


@login_required
@organisation_required
def board_index_csv_view(request):
    """Seed 001, appendix 3: the Index of Joint Boards as CSV."""
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="joint-boards-index-{timezone.localdate():%Y-%m-%d}.csv"'
    writer = csv.writer(response)
    writer.writerow(selectors.INDEX_HEADER)
    writer.writerows(selectors.board_index_rows(user=request.user))
    return response


# --- Secretariat home ----------------------------------------------------------------------------


@login_required
@organisation_required
def home_view(request):
    """The secretariat's home page: what needs doing across the user's boards."""
    return render(
        request,
        "boards/home.html",
        selectors.secretariat_home(user=request.user),
    )
