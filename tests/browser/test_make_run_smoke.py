"""`make run` as a new user runs it: no DATABASE_URL, no REDIS_URL, the embedded PostgreSQL in a new data
folder. Waits for the port, then each role does its main job in Chromium over real HTTP against that
server: finance prepares and submits this month's payment run, the approver approves it, finance exports
it and downloads the BACS file; a visiting officer completes a financial assessment dated today; the
Pension Service records an award on the waiting Attendance Allowance referral. Ctrl-C (SIGINT to the
process group, as a terminal sends it) must stop the web server and the database and leave nothing
running; a second `make run` reuses the data.

The tests share one running app and run in the order written (the last ones stop it)."""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import psutil
import pytest
from django.conf import settings
from playwright.sync_api import expect

from accounts.demo import DEMO_TOTP_SECRETS
from config import localdb
from tests.browser.conftest import SCREENSHOTS
from tests.sign_in import browser_sign_in

pytestmark = [pytest.mark.smoke, pytest.mark.browser]

PASSWORD = "jointcase-demo-2026"
COUNCIL = "Northshire County Council"
PENSION_SERVICE = "The Pension Service, Northshire"
START_TIMEOUT = 240  # seconds: a new data folder is initialised, migrated (~30 s of CPU) and seeded first
# What `make test` and CI put in the environment that a developer typing `make run` would not have.
NOT_IN_A_DEVELOPERS_SHELL = {
    "DATABASE_URL",
    "REDIS_URL",
    "DJANGO_DEBUG",
    "DJANGO_SECRET_KEY",
    "CELERY_TASK_ALWAYS_EAGER",
    "SECURE_SSL_REDIRECT",
    "STATICFILES_BACKEND",
    "DJANGO_SETTINGS_MODULE",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
    "PORT",
    "JOINTCASE_PGDATA",
}


def _today() -> date:
    return datetime.now(ZoneInfo("Europe/London")).date()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_open(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class App:
    process: subprocess.Popen
    port: int
    pgdata: Path
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def session_processes(self) -> list[psutil.Process]:
        """make and everything it started that stays in its session (the launcher, manage.py, runserver)."""
        found = []
        for process in psutil.process_iter():
            try:
                if os.getsid(process.pid) == self.process.pid:
                    found.append(process)
            except (ProcessLookupError, PermissionError, psutil.Error):
                continue
        return found


def start_make_run(*, port: int, pgdata: Path, log: Path) -> App:
    """`make run` exactly as a developer starts it, in its own session like a terminal's foreground job."""
    environment = {key: value for key, value in os.environ.items() if key not in NOT_IN_A_DEVELOPERS_SHELL}
    with log.open("a") as output:
        process = subprocess.Popen(  # noqa: S603 - make, with our own target
            [shutil.which("make") or "make", "run", f"PORT={port}", f"JOINTCASE_PGDATA={pgdata}"],
            cwd=settings.BASE_DIR,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    app = App(process=process, port=port, pgdata=pgdata, log=log)
    deadline = time.monotonic() + START_TIMEOUT
    while not _port_open(port):
        if process.poll() is not None:
            pytest.fail(f"make run stopped (exit code {process.returncode}) before serving:\n{app.output()[-3000:]}")
        if time.monotonic() > deadline:
            _kill(app)
            pytest.fail(f"make run did not serve on port {port} within {START_TIMEOUT} s:\n{app.output()[-3000:]}")
        time.sleep(0.25)
    return app


def stop_with_ctrl_c(app: App) -> None:
    """What a terminal does on Ctrl-C: SIGINT to every process of the foreground job's group."""
    os.killpg(app.process.pid, signal.SIGINT)
    try:
        app.process.wait(60)
    except subprocess.TimeoutExpired:
        pytest.fail(f"make run was still running 60 s after Ctrl-C:\n{app.output()[-3000:]}")


def _kill(app: App) -> None:
    """Teardown after a failure: leave nothing behind, whatever state the app is in."""
    for process in app.session_processes():
        with contextlib.suppress(psutil.Error):
            process.kill()
    if localdb.is_running(app.pgdata):
        os.kill(localdb.postmaster_pid(app.pgdata), signal.SIGINT)  # PostgreSQL's fast shutdown
        deadline = time.monotonic() + 15
        while localdb.is_running(app.pgdata) and time.monotonic() < deadline:
            time.sleep(0.2)


def assert_nothing_left_running(app: App, postgres: list[psutil.Process], session: list[psutil.Process]) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        left = [process for process in [*postgres, *session] if process.is_running()]
        if not left and not _port_open(app.port):
            break
        time.sleep(0.2)
    left = [process for process in [*postgres, *session] if process.is_running()]
    assert left == [], f"still running after Ctrl-C: {[(p.pid, p.name()) for p in left]}"
    assert app.session_processes() == []
    assert not _port_open(app.port)
    assert not (app.pgdata / "postmaster.pid").exists()
    assert not [
        process
        for process in psutil.process_iter(["cmdline"])
        if process.info["cmdline"] and str(app.pgdata) in " ".join(process.info["cmdline"])
    ]


@pytest.fixture(scope="module")
def app():
    # Not under pytest's tmp_path: as root the server runs as the `embedded_postgres` user, and every
    # pytest run makes /tmp/pytest-of-root private again, which would lock the server out of its files.
    folder = Path(tempfile.mkdtemp(prefix="jointcase-make-run-"))
    app = start_make_run(port=_free_port(), pgdata=folder / "pgdata", log=folder / "make-run.log")
    yield app
    _kill(app)
    if not localdb.is_running(app.pgdata):
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture
def as_user(browser, app, request):
    """as_user("finance") -> a page signed in as that demo account (a browser context of its own).
    `browser` is the session's Chromium from tests/browser/conftest.py."""
    contexts = []

    def sign_in(username: str, signed_in_as: str):
        context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB", accept_downloads=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        # The demo's finance and admin accounts have an authenticator app with a key printed in the README.
        browser_sign_in(page, app.url, username, PASSWORD, totp_secret=DEMO_TOTP_SECRETS.get(username))
        expect(page.get_by_test_id("signed-in-as")).to_have_text(signed_in_as)
        return page

    yield sign_in
    report = getattr(request.node, "report_call", None)
    for index, context in enumerate(contexts):
        if report is not None and report.failed:  # what each role's browser showed when the test failed
            SCREENSHOTS.mkdir(exist_ok=True)
            for number, page in enumerate(context.pages):
                name = re.sub(r"[^A-Za-z0-9_.-]+", "-", f"{request.node.name}-{index}-{number}")
                page.screenshot(path=str(SCREENSHOTS / f"{name}-failure.png"), full_page=True)
        context.close()


def menu(page, name: str):
    """A link in the service's menu (the page itself may link to the same place)."""
    return page.get_by_role("navigation", name="Menu").get_by_role("link", name=name, exact=True)


def _month(today: date) -> str:
    return today.strftime("%B %Y")


def test_finance_prepares_a_run_the_approver_approves_it_and_the_bacs_file_downloads(app, as_user):
    today = _today()
    banner_text = "The {} run has been calculated."
    # given the finance officer prepares this month's run
    finance = as_user("finance", f"Fiona Fraser, {COUNCIL}")
    menu(finance, "Direct payments").click()
    finance.get_by_role("link", name="Payment runs").click()
    finance.get_by_role("button", name=f"Prepare the {_month(today)} run").click()
    banner = finance.locator(".govuk-notification-banner")
    expect(banner).to_contain_text(banner_text.format(_month(today)))
    expect(finance.get_by_role("heading", level=1)).to_have_text(f"Payment run for {_month(today)}")
    # then Margaret Doyle, the demo agreement, is paid her net weekly amount × the month's days ÷ 7
    cells = finance.get_by_test_id("lines").get_by_role("row").filter(has_text="Margaret Doyle").get_by_role("cell")
    expect(cells.nth(1)).to_have_text("Bank account")
    weekly = Decimal(cells.nth(2).inner_text().lstrip("£").replace(",", ""))
    days = int(cells.nth(3).inner_text())
    amount = Decimal(cells.nth(4).inner_text().lstrip("£").replace(",", ""))
    next_month = date(today.year + today.month // 12, today.month % 12 + 1, 1)
    assert days == (next_month - today.replace(day=1)).days
    assert amount == (weekly * days / 7).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    assert weekly > 0
    # when she submits it
    finance.get_by_role("button", name="Submit for approval").click()
    expect(banner).to_contain_text("Submitted for approval.")
    expect(finance.get_by_test_id("run-status")).to_have_text("Submitted for approval")
    run_url = finance.url

    # and the approver approves it
    approver = as_user("approver", f"Adam Ashworth, {COUNCIL}")
    approver.goto(run_url)
    approver.get_by_role("button", name="Approve", exact=True).click()
    expect(approver.locator(".govuk-notification-banner")).to_contain_text("Approved.")
    expect(approver.get_by_test_id("run-status")).to_have_text("Approved")

    # and finance exports it and downloads the BACS file
    finance.goto(run_url)
    expect(finance.get_by_text("Approved by Adam Ashworth")).to_be_visible()
    finance.get_by_role("button", name="Export for payment").click()
    expect(banner).to_contain_text("Exported: download the files below.")
    with finance.expect_download() as download_info:
        finance.get_by_role("link", name="Download the BACS file").click()
    download = download_info.value

    # then it is a BACS Standard 18 file: one 100-character record paying Margaret's account
    assert download.suggested_filename == f"direct-payments-{today:%Y-%m}.txt"
    records = Path(download.path()).read_bytes().decode("ascii").split("\r\n")
    assert records[-1] == ""
    [record] = records[:-1]
    assert len(record) == 100
    assert (record[0:6], record[6:14]) == ("404784", "70872490")  # seed_demo's sort code and account
    assert record[35:46] == f"{int(amount * 100):011d}"
    assert record[82:100].rstrip() == "M DOYLE"


def test_officer_completes_a_financial_assessment_dated_today(app, as_user):
    today = _today()
    officer = as_user("officer", f"Olivia Okafor, {COUNCIL}")
    menu(officer, "Clients").click()
    officer.get_by_role("link", name="Edith Wainwright").click()
    officer.get_by_role("link", name="Start a financial assessment").click()
    starts = officer.get_by_role("group", name="Effective date")
    starts.get_by_label("Day").fill(str(today.day))
    starts.get_by_label("Month").fill(str(today.month))
    starts.get_by_label("Year").fill(str(today.year))
    officer.get_by_label("Weekly cost of the care (£)").fill("245.00")
    officer.get_by_role("button", name="Save and continue").click()
    expect(officer.locator(".govuk-notification-banner")).to_contain_text("Assessment started.")

    officer.locator("summary", has_text="Add income").click()
    officer.get_by_label("Type of income").select_option(label="State Pension")
    officer.get_by_label("Amount (£)").fill("230.25")
    officer.get_by_role("button", name="Add income").click()
    officer.get_by_role("button", name="Complete the assessment").click()

    banner = officer.locator(".govuk-notification-banner").first
    expect(banner).to_be_visible()
    said = " ".join(banner.inner_text().split())
    if "Assessment complete" not in said:
        pytest.fail(
            f"The visiting officer could not complete an assessment dated today ({today:%-d %B %Y}) on the "
            f"demo data `make run` loads. The page said: {said!r}"
        )
    expect(officer.get_by_role("heading", level=1)).to_have_text("Weekly charge")
    expect(officer.locator(".govuk-caption-l")).to_have_text(
        f"Edith Wainwright · from {today.day} {today:%B %Y} · Complete"
    )
    expect(officer.get_by_test_id("weekly-charge").get_by_role("heading")).to_have_text(
        re.compile(r"^£[\d,]+\.\d\d a week$")
    )


def test_pension_service_records_an_award_on_the_waiting_attendance_allowance_referral(app, as_user):
    today = _today()
    pension = as_user("pension", f"Paul Pearson, {PENSION_SERVICE}")
    menu(pension, "Referrals").click()
    expect(pension.get_by_role("heading", level=1)).to_have_text("Referrals received")
    row = pension.get_by_test_id("referral-table").get_by_role("row").filter(has_text="Attendance Allowance claim")
    expect(row.get_by_role("cell").nth(1)).to_have_text("Edith Wainwright")
    row.get_by_role("link", name="REF-").click()
    pension.get_by_role("button", name="Accept").click()
    banner = pension.locator(".govuk-notification-banner")
    expect(banner).to_contain_text("accepted")

    pension.get_by_role("button", name="Record outcome").click()
    pension.get_by_role("group", name="Did the referral succeed?").get_by_label("Yes").check()
    claim = pension.get_by_role("group", name="Benefit claimed 1 (optional)")
    claim.get_by_label("Benefit", exact=True).select_option(label="Attendance Allowance claim")
    claim.get_by_label("Decision").select_option(label="Awarded")
    claim.get_by_label("£ a week").fill("73.90")
    starts = claim.get_by_role("group", name="Date the award starts")
    starts.get_by_label("Day").fill(str(today.day))
    starts.get_by_label("Month").fill(str(today.month))
    starts.get_by_label("Year").fill(str(today.year))
    pension.get_by_role("button", name="Record outcome").click()

    expect(banner).to_contain_text("recorded")
    expect(pension.get_by_role("heading", level=1)).to_contain_text("Completed")
    expect(pension.get_by_test_id("benefit-table").get_by_role("row").nth(1).get_by_role("cell")).to_have_text(
        ["Attendance Allowance claim", "Awarded", "£73.90", f"{today.day} {today:%B %Y}", "£0.00"]
    )


def test_ctrl_c_stops_the_web_server_and_the_database(app):
    postmaster = localdb.postmaster_pid(app.pgdata)
    assert postmaster is not None and psutil.pid_exists(postmaster), "the embedded PostgreSQL is not running"
    postgres = [psutil.Process(postmaster), *psutil.Process(postmaster).children(recursive=True)]
    session = app.session_processes()
    assert any("runserver" in " ".join(process.cmdline()) for process in session)

    stop_with_ctrl_c(app)

    assert_nothing_left_running(app, postgres, session)
    assert "[make run] Stopped the web server and the database." in app.output()


def test_a_second_make_run_reuses_the_data(app, as_user):
    assert not _port_open(app.port)
    app.log.write_text("")
    started = time.monotonic()
    again = start_make_run(port=app.port, pgdata=app.pgdata, log=app.log)
    took = time.monotonic() - started
    try:
        assert "[make run] Starting the development database in" in again.output()
        assert "Creating" not in again.output()
        assert took < 60, f"a second make run took {took:.0f} s to serve"
        # the run exported before the restart is still there
        finance = as_user("finance", f"Fiona Fraser, {COUNCIL}")
        menu(finance, "Direct payments").click()
        finance.get_by_role("link", name="Payment runs").click()
        row = finance.get_by_test_id("runs").get_by_role("row").filter(has_text=_month(_today()))
        expect(row.get_by_role("cell").nth(1)).to_have_text("Exported")
        postmaster = localdb.postmaster_pid(again.pgdata)
        postgres = [psutil.Process(postmaster), *psutil.Process(postmaster).children(recursive=True)]
        session = again.session_processes()
    except BaseException:
        _kill(again)
        raise
    stop_with_ctrl_c(again)
    assert_nothing_left_running(again, postgres, session)
