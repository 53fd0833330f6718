from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest

from core.templatetags.jointcase import govuk_date, govuk_datetime, money
from tests.core.factories import NotificationFactory, RecordViewFactory


def test_dates_times_and_money_in_govuk_style():
    assert govuk_date(date(2025, 4, 6)) == "6 April 2025"
    # 23:05 UTC on 30 June is 12:05am on 1 July in London (BST)
    assert govuk_datetime(datetime(2026, 6, 30, 23, 5, tzinfo=ZoneInfo("UTC"))) == "1 July 2026 at 12:05am"
    assert govuk_datetime(datetime(2026, 11, 23, 13, 30, tzinfo=ZoneInfo("UTC"))) == "23 November 2026 at 1:30pm"
    assert govuk_datetime(date(2026, 11, 23)) == "23 November 2026"
    assert money(Decimal("1234.5")) == "£1,234.50"
    assert govuk_date(None) == ""


@pytest.mark.django_db
def test_core_factories_build_valid_rows():
    notification = NotificationFactory()
    view = RecordViewFactory()
    assert notification.is_unread
    assert view.record is not None
