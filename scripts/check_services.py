"""Stop `make test` at once, with a clear message, when PostgreSQL or Redis is not reachable."""

import os
import sys

import environ
import psycopg
import redis
from psycopg import sql

HOW = "Start them with: docker compose up -d db redis   (or run .ci/run, which starts local services)"


def _ensure_database(db: dict) -> None:
    """Connect to the server and create the project's database if it is not there yet."""
    with psycopg.connect(
        host=db["HOST"] or None,
        port=db["PORT"] or None,
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        dbname="postgres",
        connect_timeout=3,
        autocommit=True,
    ) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [db["NAME"]]).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(db["NAME"])))
            print(f"Created PostgreSQL database {db['NAME']}")


def main() -> int:
    problems = []
    database_url = os.environ.get("DATABASE_URL", "")
    if not database_url.startswith(("postgres://", "postgresql://")):
        problems.append(f"DATABASE_URL must point at PostgreSQL for the tests (it is {database_url or 'unset'}).")
    else:
        db = environ.Env.db_url_config(database_url)
        try:
            _ensure_database(db)
        except psycopg.OperationalError as exc:
            problems.append(f"PostgreSQL is not reachable at {db['HOST']}:{db['PORT'] or 5432}: {exc}".strip())
    redis_url = os.environ.get("REDIS_URL", "")
    try:
        redis.Redis.from_url(redis_url, socket_connect_timeout=3).ping()
    except (redis.RedisError, ValueError) as exc:
        problems.append(f"Redis is not reachable at {redis_url or '(REDIS_URL unset)'}: {exc}")
    if problems:
        print("make test needs PostgreSQL and Redis.", *problems, HOW, sep="\n  ", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
