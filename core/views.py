from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from .home import home_sections_for_user
from .notifications import notification_list_for_user, notification_mark_all_read, notification_mark_read


@login_required
def home_view(request):
    """A section per role the user holds, each filled by the app that owns its data (core.home). A user
    whose only role has a home page of its own (the secretariat's, finance's) goes straight there."""
    today = timezone.localdate()
    sections = home_sections_for_user(user=request.user, today=today)
    if len(sections) == 1 and sections[0].section.own_page:
        return redirect(sections[0].section.own_page)
    return render(request, "core/home.html", {"sections": sections, "today": today})


@login_required
def notification_list_view(request):
    page = Paginator(notification_list_for_user(user=request.user), 25).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page": page})


@login_required
def notification_open_view(request, pk):
    notification = get_object_or_404(notification_list_for_user(user=request.user), pk=pk)
    notification_mark_read(notification=notification)
    target = notification.url
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("core:notification-list")


@login_required
@require_POST
def notification_mark_all_read_view(request):
    notification_mark_all_read(user=request.user)
    return redirect("core:notification-list")
