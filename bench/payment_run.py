"""Benchmark: preparing a direct payments run for 5,000 and 50,000 active agreements.

Run by hand against PostgreSQL (a database of its own, created if missing):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/jointcase_bench_dp .venv/bin/python bench/payment_run.py

It migrates, builds two councils once with set-based SQL (generate_series): one with 5,000 agreements,
one with 50,000, a realistic mix (starters and leavers in the month, suspensions across the month end,
contributions above the budget, all three account types, waiting surplus recoveries) and last month's
run already made, so the exceptions list has amounts changed since last month. Then, for each size, it
times three times, each inside a transaction that is rolled back so every run starts from the same state:
  - `payment_run_prepare` (one INSERT ... SELECT for the regular lines, then the adjustments),
  - the exceptions list (`payment_run_exceptions`) and the totals,
  - the export files (reading the payments, then the accounts payable CSV and the BACS file),
and once the old Python path (`build_lines` from tests/directpayments/python_rule.py + `bulk_create`) for
comparison. Figures go in the issue note.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DJANGO_DEBUG", "false")
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-only-not-a-secret-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/jointcase_bench_dp")
os.environ.setdefault("CELERY_TASK_ALWAYS_EAGER", "false")
os.environ["REDIS_URL"] = ""  # memory broker: .delay() enqueues without a server

import django

django.setup()

from datetime import date  # noqa: E402

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from directpayments.exports import accounts_payable_csv, bacs_file  # noqa: E402
from directpayments.models import Agreement, PaymentLine, PaymentRun  # noqa: E402
from directpayments.selectors import (  # noqa: E402
    payment_run_exceptions,
    payment_run_export_lines,
    payment_run_totals,
)
from directpayments.services import payment_run_prepare  # noqa: E402
from partnerships.models import Organisation  # noqa: E402
from referrals.models import Client  # noqa: E402
from tests.directpayments.python_rule import build_lines  # noqa: E402  (the Python rule, kept with the tests)

SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "5000,50000").split(",")]
MONTH = date(2026, 12, 1)
LAST_MONTH = date(2026, 11, 1)


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


@transaction.atomic
def build_volume(size: int) -> Organisation:
    council, _ = Organisation.objects.get_or_create(name=f"Bench Council {size}", defaults={"kind": "council"})
    if Agreement.objects.filter(client__organisation=council).count() >= size:
        return council
    started = time.perf_counter()
    template = Client.objects.create(
        organisation=council,
        first_name="Bench",
        last_name="Client",
        date_of_birth=date(1940, 1, 1),
        address_line_1="1 Road",
        town="Town",
        postcode="NE1 6BS",
    )
    # Column names come from the model, not from input.
    columns = [f.column for f in Client._meta.concrete_fields if f.column != "id"]
    select = ["'Client ' || g" if c == "last_name" else f"t.{c}" for c in columns]
    with connection.cursor() as cursor:
        copy_clients = (
            f"INSERT INTO referrals_client ({', '.join(columns)}) SELECT {', '.join(select)} "  # noqa: S608
            "FROM referrals_client t, generate_series(2, %s) AS g WHERE t.id = %s"
        )
        cursor.execute(copy_clients, [size, template.pk])
        # One agreement per client. Every 20th starts in December, every 25th ends in it, every 50th has
        # a contribution above its budget; a third are prepaid cards, a third managed accounts.
        cursor.execute(
            """
            INSERT INTO directpayments_agreement (
                client_id, nominated_person, start_date, end_date, weekly_budget, weekly_contribution,
                account_type, card_reference, provider, sort_code, account_number, account_name,
                supplier_number, status, contingency_weeks, created_by_id, created_at, updated_at,
                contribution_by_hand_reason)
            SELECT c.id, '',
                   CASE WHEN n %% 20 = 0 THEN DATE '2026-12-01' + (n %% 28) ELSE DATE '2025-01-01' + (n %% 300) END,
                   CASE WHEN n %% 25 = 0 AND n %% 20 <> 0 THEN DATE '2026-12-01' + (n %% 30) END,
                   50 + (n %% 400) + (n %% 97) / 100.0,
                   CASE WHEN n %% 50 = 0 THEN 900 ELSE (n %% 60) + (n %% 13) / 100.0 END,
                   CASE n %% 3 WHEN 0 THEN 'bank_account' WHEN 1 THEN 'prepaid_card' ELSE 'managed_account' END,
                   CASE WHEN n %% 3 = 1 THEN 'PC' || n ELSE '' END,
                   CASE WHEN n %% 3 = 2 THEN 'Bench Provider' ELSE '' END,
                   CASE WHEN n %% 3 = 0 THEN '309430' ELSE '' END,
                   CASE WHEN n %% 3 = 0 THEN lpad(n::text, 8, '0') ELSE '' END,
                   'BENCH CLIENT', CASE WHEN n %% 100 = 0 THEN '' ELSE 'V' || n END,
                   'active', 6, NULL, now(), now(), 'Bench: no assessment'
            FROM (SELECT id, row_number() OVER (ORDER BY id)::int AS n FROM referrals_client
                  WHERE organisation_id = %s) AS c
            """,
            [council.pk],
        )
        # Every 30th suspended from 20 November to 5 December (across the month end).
        cursor.execute(
            """
            INSERT INTO directpayments_suspension (agreement_id, starts_on, ends_on, reason, created_by_id, created_at)
            SELECT a.id, DATE '2026-11-20', DATE '2026-12-05', 'bench', NULL, now()
            FROM directpayments_agreement a JOIN referrals_client c ON c.id = a.client_id
            WHERE c.organisation_id = %s AND a.id %% 30 = 0
            """,
            [council.pk],
        )
        # Every 40th has a surplus recovery waiting, some bigger than a month's payment.
        cursor.execute(
            """
            INSERT INTO directpayments_adjustment (agreement_id, kind, amount, reason, takes_effect_on,
                run_id, applied_amount, carried_from_id, created_in_run_id, created_by_id, created_at)
            SELECT a.id, 'recovery', 100 + (a.id %% 3) * 500, 'bench surplus', DATE '2026-12-01',
                   NULL, 0, NULL, NULL, NULL, now()
            FROM directpayments_agreement a JOIN referrals_client c ON c.id = a.client_id
            WHERE c.organisation_id = %s AND a.id %% 40 = 0
            """,
            [council.pk],
        )
        cursor.execute("ANALYZE")
    payment_run_prepare(organisation=council, month=LAST_MONTH, by=None)  # last month, for the exceptions
    print(f"built {size:,} agreements in {time.perf_counter() - started:.1f} s")
    return council


def time_prepare(council: Organisation, size: int):
    for attempt in range(1, 4):
        with transaction.atomic():
            with CaptureQueriesContext(connection) as prepare_queries:
                started = time.perf_counter()
                run = payment_run_prepare(organisation=council, month=MONTH, by=None)
                prepared = time.perf_counter() - started
            with CaptureQueriesContext(connection) as exception_queries:
                started = time.perf_counter()
                exceptions = payment_run_exceptions(run=run)
                totals = payment_run_totals(run=run)
                checked = time.perf_counter() - started
            with connection.cursor() as cursor:  # the deferred foreign-key checks a commit would run
                started = time.perf_counter()
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
                prepared += time.perf_counter() - started
            line_count = run.lines.count()
            with CaptureQueriesContext(connection) as export_queries:
                started = time.perf_counter()  # reading the payments and writing both files, as the download does
                payments = payment_run_export_lines(run=run)
                csv_text, bacs_text = accounts_payable_csv(payments), bacs_file(payments)
                exported = time.perf_counter() - started
            print(
                f"{size:>6,} run {attempt}: prepare {prepared:.2f} s ({len(prepare_queries)} queries, "
                f"{line_count:,} lines, {sum(t['count'] for t in totals):,} counted); "
                f"exceptions {checked:.2f} s ({len(exception_queries)} queries, {len(exceptions):,} found); "
                f"together {prepared + checked:.2f} s; exports {exported:.2f} s ({len(export_queries)} queries, "
                f"CSV {len(csv_text) // 1024:,} KiB, BACS {bacs_text.count(chr(10)):,} records)"
            )
            transaction.set_rollback(True)


def time_python_path(council: Organisation, size: int):
    with transaction.atomic():
        run = PaymentRun.objects.create(organisation=council, month=MONTH)
        started = time.perf_counter()
        lines = build_lines(run=run)
        built = time.perf_counter() - started
        PaymentLine.objects.bulk_create(lines, batch_size=2000)
        print(
            f"{size:>6,} Python path for comparison: build_lines {built:.2f} s, with bulk_create "
            f"{time.perf_counter() - started:.2f} s ({len(lines):,} lines)"
        )
        transaction.set_rollback(True)


def main():
    ensure_database()
    call_command("migrate", verbosity=0)
    for size in SIZES:
        council = build_volume(size)
        time_prepare(council, size)
        time_python_path(council, size)


if __name__ == "__main__":
    main()
