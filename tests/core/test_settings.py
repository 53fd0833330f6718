"""Settings come from the environment, and `.env.example` documents every variable they read."""

import ast
import os
import subprocess
import sys

from django.conf import settings


def _variables_read_by_settings() -> set[str]:
    tree = ast.parse((settings.BASE_DIR / "config" / "settings.py").read_text())
    names = set()
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and node.args and isinstance(node.args[0], ast.Constant)):
            continue
        func = node.func
        reads_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute) and isinstance(func.value, ast.Name) and func.value.id == "env"
        )
        if reads_env and isinstance(node.args[0].value, str):
            names.add(node.args[0].value)
    return names


def _variables_in_env_example() -> set[str]:
    lines = (settings.BASE_DIR / ".env.example").read_text().splitlines()
    return {line.lstrip("# ").split("=", 1)[0] for line in lines if "=" in line and not line.startswith("# ---")}


def test_env_example_documents_every_setting_read_from_the_environment():
    read = _variables_read_by_settings()
    assert {"DJANGO_SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read  # the parser finds them
    assert read - _variables_in_env_example() == set()


def _check_services(**environment) -> subprocess.CompletedProcess:
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL")}
    env.update(environment)
    return subprocess.run(
        [sys.executable, "scripts/check_services.py"],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_make_test_stops_at_once_saying_how_to_start_unreachable_services():
    # given nothing listening on either port
    result = _check_services(
        DATABASE_URL="postgres://postgres@127.0.0.1:9/jointcase", REDIS_URL="redis://127.0.0.1:9/0"
    )
    # then it fails with both problems and the command that starts them
    assert result.returncode == 1
    assert "PostgreSQL is not reachable at 127.0.0.1:9" in result.stderr
    assert "Redis is not reachable at redis://127.0.0.1:9/0" in result.stderr
    assert "docker compose up -d db redis" in result.stderr


def test_make_test_refuses_sqlite():
    result = _check_services(DATABASE_URL="sqlite:///db.sqlite3", REDIS_URL=os.environ["REDIS_URL"])
    assert result.returncode == 1
    assert "DATABASE_URL must point at PostgreSQL for the tests" in result.stderr


def test_check_passes_when_both_services_are_up():
    result = _check_services(DATABASE_URL=os.environ["DATABASE_URL"], REDIS_URL=os.environ["REDIS_URL"])
    assert (result.returncode, result.stderr) == (0, "")
