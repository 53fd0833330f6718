"""A worker killed half-way through building a run leaves nothing half-built, and a re-run completes it.

The monthly task runs in a separate Python process against the test database. That process is killed
with SIGKILL (no clean-up, no rollback sent: the connection just drops) after the regular lines have
been written but before the transaction commits. PostgreSQL then throws the whole transaction away.
"""

import os
import signal
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from directpayments import runs
from directpayments.models import PaymentLine, PaymentRun
from directpayments.tasks import payment_run_draft_next_month_task
from tests.directpayments.factories import AgreementFactory
from tests.referrals.factories import ClientFactory

ROOT = Path(__file__).resolve().parents[2]

# Runs in the child: the real task, with the step after the lines are written replaced by a SIGKILL.
CHILD = """
import os, signal, sys
import django
django.setup()
from directpayments import services
from directpayments.models import PaymentLine

def killed_here(*, run):
    written = PaymentLine.objects.filter(run=run).count()
    print(f"WRITTEN {written}", flush=True)
    os.kill(os.getpid(), signal.SIGKILL)

services.reconciliation.add_to_draft_run = killed_here
from directpayments.tasks import payment_run_draft_next_month_task
payment_run_draft_next_month_task.apply()
print("NOT KILLED", flush=True)
"""


def _database_url() -> str:
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db.get("PASSWORD") else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.mark.django_db(transaction=True)
def test_worker_killed_half_way_leaves_no_run_and_a_rerun_completes_it(council):
    for budget in ("100.00", "70.00", "35.00"):
        AgreementFactory(client=ClientFactory(organisation=council), weekly_budget=Decimal(budget))
    month = runs.next_month(timezone.localdate())
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "CELERY_TASK_ALWAYS_EAGER": "true",
    }

    child = subprocess.run(  # noqa: S603 - our own fixed script, run with this Python
        [sys.executable, "-c", CHILD], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )

    # the worker had written the three lines, then died without committing
    assert child.returncode == -signal.SIGKILL, child.stderr
    assert "WRITTEN 3" in child.stdout and "NOT KILLED" not in child.stdout
    assert not PaymentRun.objects.filter(organisation=council, month=month).exists()
    assert not PaymentLine.objects.exists()

    # when the beat runs the task again, it builds the whole run
    result = payment_run_draft_next_month_task.apply().get()
    run = PaymentRun.objects.get(organisation=council, month=month)
    assert result["runs"] == {council.pk: run.pk}
    days = runs.month_end(month).day
    expected = sorted(runs.to_money(Decimal(budget) * days / 7) for budget in ("100.00", "70.00", "35.00"))
    assert sorted(run.lines.values_list("amount", flat=True)) == expected
    assert run.status == PaymentRun.Status.DRAFT
