"""Benchmark: the overdue-referral escalation scan over 200,000 referrals with 10,000 overdue.

Run by hand against PostgreSQL (a database of its own, created if missing):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jointcase_bench .venv/bin/python bench/escalation_scan.py

It migrates, builds the volume once with set-based SQL (generate_series), then times the scan three
times, each inside a transaction that is rolled back so every run starts from the same state, and
prints the wall time, the number of queries and what was escalated. Numbers go in the issue note.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jointcase_bench")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")  # e-mails are queued, never sent inline
os.environ["REDIS_URL"] = ""  # memory broker: .delay() enqueues without a server

import django

django.setup()

from datetime import date  # noqa: E402

from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from partnerships.models import Organisation, Role, StaffMembership, Team  # noqa: E402
from referrals.models import Client, Referral  # noqa: E402
from referrals.services.escalation import referral_escalation_scan  # noqa: E402

TOTAL = int(os.environ.get("BENCH_REFERRALS", 200_000))
OVERDUE = int(os.environ.get("BENCH_OVERDUE", 10_000))
TODAY = date(2026, 11, 23)


def ensure_database():
    import environ
    import psycopg
    from psycopg import sql

    db = environ.Env.db_url_config(os.environ["DATABASE_URL"])
    with psycopg.connect(
        host=db["HOST"], port=db["PORT"] or 5432, user=db["USER"], dbname="postgres", autocommit=True
    ) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))


def build_volume():
    if Referral.objects.count() >= TOTAL:
        return
    from django.contrib.auth import get_user_model

    council, _ = Organisation.objects.get_or_create(name="Bench Council", defaults={"kind": "council"})
    pension, _ = Organisation.objects.get_or_create(name="Bench Pension Service", defaults={"kind": "pension_service"})
    teams = [Team.objects.get_or_create(organisation=pension, name=f"Team {n}")[0] for n in range(20)]
    User = get_user_model()
    officer, _ = User.objects.get_or_create(username="bench-officer")
    StaffMembership.objects.get_or_create(user=officer, defaults={"organisation": council})
    for n, team in enumerate(teams):
        manager, _ = User.objects.get_or_create(
            username=f"bench-manager-{n}", defaults={"email": f"m{n}@bench.invalid"}
        )
        StaffMembership.objects.get_or_create(user=manager, defaults={"organisation": pension, "team": team})
        manager.groups.add(Group.objects.get(name=Role.TEAM_MANAGER))
    client = Client.objects.create(
        organisation=council,
        first_name="Bench",
        last_name="Client",
        date_of_birth=date(1940, 1, 1),
        address_line_1="1 Road",
        town="Town",
        postcode="NE1 6BS",
    )
    # Same-organisation referrals need no consent, so the volume is pure SQL: OVERDUE sent ones past
    # acknowledge-by, the rest completed or not yet due.
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO referrals_referral (
                reference, client_id, from_organisation_id, from_officer_id, to_organisation_id, to_team_id,
                referral_type, priority, reason, legal_basis, status, sent_at, acknowledge_by, complete_by,
                rejection_reason, outcome_reason, outcome_notes, created_at, updated_at)
            SELECT 'REF-2026-' || lpad(g::text, 6, '0'), %(client)s, %(council)s, %(officer)s, %(council)s, NULL,
                   'benefit_check', 'routine', 'bench', '',
                   CASE WHEN g <= %(overdue)s THEN 'sent' ELSE 'completed' END,
                   now() - interval '30 days',
                   CASE WHEN g <= %(overdue)s THEN DATE '2026-11-02' ELSE DATE '2026-12-30' END,
                   DATE '2026-12-30', '', '', '', now(), now()
            FROM generate_series(1, %(total)s) AS g
            """,
            {"client": client.pk, "council": council.pk, "officer": officer.pk, "overdue": OVERDUE, "total": TOTAL},
        )
        # Spread the overdue ones over the Pension Service's teams, so level 1 finds managers.
        cursor.execute(
            """
            UPDATE referrals_referral SET to_organisation_id = %(pension)s,
                   to_team_id = (SELECT id FROM partnerships_team WHERE organisation_id = %(pension)s
                                 ORDER BY id OFFSET (referrals_referral.id %% 20) LIMIT 1),
                   consent_id = NULL, legal_basis = 'bench: safeguarding', referral_type = 'safeguarding'
            WHERE status = 'sent'
            """,
            {"pension": pension.pk},
        )
        cursor.execute("ANALYZE referrals_referral")
    print(f"built {TOTAL:,} referrals ({OVERDUE:,} overdue) in {time.perf_counter() - started:.1f} s")


def main():
    ensure_database()
    call_command("migrate", verbosity=0)
    build_volume()
    for run in range(1, 4):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as queries:
                started = time.perf_counter()
                summary = referral_escalation_scan(today=TODAY)
                elapsed = time.perf_counter() - started
                # The run is rolled back, so its on-commit hooks never fire: run them here (they queue
                # the e-mail tasks on the in-memory broker) so queueing the e-mails is timed too.
                hooks = list(connection.run_on_commit)
                for _, hook, _ in hooks:
                    hook()
                with_emails = time.perf_counter() - started
            print(
                f"run {run}: scan {elapsed:.2f} s, with e-mails queued {with_emails:.2f} s "
                f"({len(hooks)} e-mail tasks), {len(queries)} queries, escalated {summary.total:,}, "
                f"notifications {summary.notifications:,}"
            )
            connection.run_on_commit.clear()
            transaction.set_rollback(True)
    with transaction.atomic(), connection.cursor() as cursor:
        started = time.perf_counter()
        cursor.execute(
            "UPDATE referrals_referral SET updated_at = now() WHERE status = 'sent' AND acknowledge_by < %s", [TODAY]
        )
        print(f"bare SQL UPDATE of the overdue rows: {time.perf_counter() - started:.3f} s ({cursor.rowcount:,} rows)")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
