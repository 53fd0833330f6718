"""Template filters in the GOV.UK style: dates as '6 April 2025', times as '5:30pm', money as '£1,234.56'."""

from datetime import date, datetime

from django import template
from django.utils import timezone

from core.money import format_money

register = template.Library()


@register.filter
def govuk_date(value) -> str:
    if not isinstance(value, date):
        return ""
    return f"{value.day} {value:%B %Y}"


@register.filter
def govuk_datetime(value) -> str:
    """'23 November 2026 at 11:09am' in the site's time zone; a plain date shows the date alone."""
    if not isinstance(value, datetime):
        return govuk_date(value)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    hour = local.hour % 12 or 12
    return f"{govuk_date(local)} at {hour}:{local:%M}{'am' if local.hour < 12 else 'pm'}"


@register.filter
def money(value) -> str:
    return format_money(value)
