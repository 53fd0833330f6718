"""`make run`: start the development database, migrate, load the demo data and serve, until Ctrl-C.

With no DATABASE_URL the database is the checkout's embedded PostgreSQL (config/localdb.py): started
here if it is not running, its data kept in JOINTCASE_PGDATA (default `.pgdata/`). The Django commands
run as child processes in their own process group with DATABASE_URL pointing at it, so Ctrl-C (SIGINT),
SIGTERM or SIGHUP stops them all first and then the database, unless another command (a `manage.py
shell`, say) is still using it.

    python scripts/run.py [--port 8000]
"""

import argparse
import contextlib
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE_DIR))

import environ  # noqa: E402 - after the checkout is on the path

from config import localdb  # noqa: E402

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


class Stop(BaseException):
    """Ctrl-C or a termination signal: stop everything and leave (like KeyboardInterrupt, not an Exception)."""


def _stop_requested(signum, frame):
    for number in STOP_SIGNALS:  # the first signal starts the shutdown; more must not interrupt it
        signal.signal(number, signal.SIG_IGN)
    raise Stop(signal.Signals(signum).name)


def say(message: str) -> None:
    print(f"[make run] {message}", flush=True)


class Children:
    """The Django commands, each in its own process group so a signal reaches the whole of it."""

    def __init__(self, environment: dict):
        self.environment = environment
        self.current: subprocess.Popen | None = None

    def run(self, *arguments: str) -> int:
        self.current = subprocess.Popen(  # noqa: S603 - this interpreter running manage.py
            [sys.executable, "manage.py", *arguments],
            cwd=BASE_DIR,
            env=self.environment,
            stdin=subprocess.DEVNULL,
            process_group=0,
        )
        returncode = self.current.wait()
        self.current = None
        return returncode

    def stop(self, timeout: float = 15) -> None:
        child, self.current = self.current, None
        if child is None or child.poll() is not None:
            return
        for sig, wait in ((signal.SIGINT, timeout), (signal.SIGKILL, 5)):
            try:
                os.killpg(child.pid, sig)
            except ProcessLookupError:
                return
            try:
                child.wait(wait)
                break
            except subprocess.TimeoutExpired:
                continue
        _wait_for_group_to_empty(child.pid)


def _wait_for_group_to_empty(pgid: int, timeout: float = 5) -> None:
    """runserver's reloader child may outlive its parent by a moment; kill what is left after `timeout`."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            os.killpg(pgid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.1)
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT") or 8000))
    arguments = parser.parse_args()

    environ.Env.read_env(BASE_DIR / ".env", overwrite=False)  # as settings do: real variables win
    environment = {**os.environ, "DJANGO_DEBUG": "true", "PYTHONUNBUFFERED": "1"}
    environment.setdefault("SITE_URL", f"http://127.0.0.1:{arguments.port}")  # links in the e-mails printed

    children = Children(environment)
    server = None
    code = 0
    try:
        for number in STOP_SIGNALS:
            signal.signal(number, _stop_requested)
        if environment.get("DATABASE_URL"):
            say("Using the database in DATABASE_URL.")
        else:
            pgdata = localdb.data_dir()
            if not (pgdata / "PG_VERSION").exists():
                say(f"Creating the development database in {pgdata} …")
            elif localdb.is_running(pgdata):
                say(f"Using the development database in {pgdata} (already running).")
            else:
                say(f"Starting the development database in {pgdata} …")
            try:
                server = localdb.start(pgdata)
                if server.ensure_database():
                    say(f"Created the database {localdb.DATABASE_NAME}.")
            except Exception as exc:  # initdb, pg_ctl or the first connection failed
                say(f"Could not start the development database ({exc}). PostgreSQL's log: {pgdata / 'log'}")
                return 1
            environment["DATABASE_URL"] = server.url()
        for step in (("migrate", "--noinput"), ("seed_demo",)):
            code = children.run(*step)
            if code:
                say(f"`manage.py {' '.join(step)}` failed (exit code {code}).")
                return code
        say(f"Serving http://127.0.0.1:{arguments.port}/ — press Ctrl-C to stop.")
        code = children.run("runserver", f"127.0.0.1:{arguments.port}")
    except Stop:
        say("Stopping …")
        code = 0
    finally:
        for number in STOP_SIGNALS:
            signal.signal(number, signal.SIG_IGN)
        children.stop()
        if server is None:
            say("Stopped.")
        else:
            others = server.others_using_it()
            if server.release():
                say("Stopped the web server and the database.")
            else:
                users = ", ".join(map(str, others)) or "another command"
                say(f"Stopped the web server. The database keeps running for process {users}; it stops when that ends.")
    return code


if __name__ == "__main__":
    sys.exit(main())
