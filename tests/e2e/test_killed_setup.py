"""Atomic set-up and restore on SQLite: `init` or `import all` killed with
SIGKILL at any point leaves either the complete result or a database that `init` (or another
`import all`) completes; the program in processes of its own, killed at a chosen SQL
statement (every part of the first migration included) and at random moments."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent.parent
KILLER = '''
import json, os, signal, sys
sys.path.insert(0, sys.argv[1])
from sqlalchemy import event
from sqlalchemy.engine import Engine

limit, seen = int(os.environ["KILL_AFTER"]), []

@event.listens_for(Engine, "before_cursor_execute")
def _count(_connection, _cursor, statement, *_args):
    seen.append(statement.split("(")[0][:60])
    if limit and len(seen) >= limit:
        os.kill(os.getpid(), signal.SIGKILL)

if not limit:
    import atexit
    atexit.register(lambda: open(os.environ["KILL_LOG"], "w").write(json.dumps(seen)))
import cli
sys.argv = ["controlling", *sys.argv[2:]]
cli.main()
'''


def report(capsys, text: str) -> None:
    """The figures of a test (tried / held), shown in the test run's output."""
    with capsys.disabled():
        print(f"\n{text}")


def environment(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTROLLING_")}
    env.update(extra)
    return env


@pytest.fixture
def killer(tmp_path):
    script = tmp_path / "killer.py"
    script.write_text(KILLER, encoding="utf-8")
    return script


def program(url: str, *args: str, kill_after: int = 0, log: Path | None = None,
            killer: Path | None = None) -> subprocess.CompletedProcess:
    """The program as the operating system's login (it becomes the admin of a new database)."""
    if killer is None:
        command = [sys.executable, str(ROOT / "cli.py"), "--db", url, *args]
        env = environment()
    else:
        command = [sys.executable, str(killer), str(ROOT), "--db", url, *args]
        env = environment(KILL_AFTER=str(kill_after), KILL_LOG=str(log or ""))
    return subprocess.run(command, capture_output=True, text=True, env=env, timeout=300,
                          cwd=ROOT)


def tables(path: Path) -> set[str]:
    if not path.exists():
        return set()
    with sqlite3.connect(path) as connection:
        return {r[0] for r in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}


def statements(url: str, killer: Path, log: Path, *args: str) -> list[str]:
    result = program(url, *args, killer=killer, log=log)
    assert result.returncode == 0, result.stderr
    return json.loads(log.read_text())


def spread(total: int, count: int, within: int | None = None) -> list[int]:
    """`count` statement numbers from 1 to `total`, half of them within the first `within`."""
    rng = random.Random(10)
    first = sorted(rng.sample(range(1, (within or total) + 1), min(count // 2, within or total)))
    rest = sorted(rng.sample(range(1, total + 1), count - len(first)))
    return sorted({*first, *rest})


def completes(url: str, path: Path) -> None:
    result = program(url, "init")
    assert result.returncode == 0, result.stderr
    check = program(url, "verify")
    assert check.returncode == 0, check.stderr


def test_a_killed_init_leaves_nothing_or_a_database_init_completes(tmp_path, killer,
                                                                     capsys):
    probe = tmp_path / "probe.db"
    seen = statements(f"sqlite:///{probe}", killer, tmp_path / "init.json", "init")
    first_migration = next(i for i, s in enumerate(seen, start=1) if "alembic_version" in s
                           and s.startswith(("INSERT", "UPDATE")))
    points = spread(len(seen), 16, within=first_migration)
    held = 0
    for point in points:
        path = tmp_path / f"init-{point}.db"
        url = f"sqlite:///{path}"
        killed = program(url, "init", kill_after=point, killer=killer)
        assert killed.returncode == -signal.SIGKILL
        after = tables(path)
        assert after in (set(), tables(probe)), (point, after)  # nothing or the whole schema
        completes(url, path)
        held += 1
    report(capsys, f"init, beim Statement getötet: {len(points)} Versuche (davon "
                   f"{sum(p <= first_migration for p in points)} in der ersten Migration), "
                   f"{held} gehalten")
    assert held == len(points)


def test_init_killed_after_its_migrations_but_before_the_first_admin_is_completed_by_init(
        tmp_path, killer):
    probe = tmp_path / "probe.db"
    seen = statements(f"sqlite:///{probe}", killer, tmp_path / "init.json", "init")
    first_user = next(i for i, s in enumerate(seen, start=1) if s.startswith("INSERT INTO users"))
    path = tmp_path / "ohne-admin.db"
    url = f"sqlite:///{path}"
    killed = program(url, "init", kill_after=first_user, killer=killer)
    assert killed.returncode == -signal.SIGKILL
    assert tables(path) == tables(probe)  # the schema is complete ...
    with sqlite3.connect(path) as connection:  # ... and nobody is its admin yet
        assert connection.execute("SELECT count(*) FROM users").fetchone() == (0,)
    completes(url, path)
    with sqlite3.connect(path) as connection:
        assert connection.execute("SELECT role FROM users").fetchall() == [("admin",)]


def test_init_killed_at_random_moments_is_completed_by_init(tmp_path, capsys):
    rng = random.Random(26)
    held = tries = 0
    for attempt in range(8):
        path = tmp_path / f"zufall-{attempt}.db"
        url = f"sqlite:///{path}"
        process = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "--db", url, "init"],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                   env=environment(), cwd=ROOT)
        time.sleep(rng.uniform(0.2, 1.5))
        process.send_signal(signal.SIGKILL)
        process.wait()
        tries += 1
        completes(url, path)
        held += 1
    report(capsys, f"init, zu zufälligen Zeitpunkten getötet: {tries} Versuche, {held} "
                   "gehalten")
    assert held == tries


@pytest.fixture
def backup(tmp_path):
    source = tmp_path / "quelle.db"
    url = f"sqlite:///{source}"
    assert program(url, "init", "--demo").returncode == 0
    path = tmp_path / "sicherung.json"
    result = program(url, "export", "all", "--out", str(path))
    assert result.returncode == 0, result.stderr
    return path


def test_a_killed_import_all_leaves_an_empty_database_that_takes_the_backup(
        tmp_path, killer, backup, capsys):
    seen = statements(f"sqlite:///{tmp_path / 'probe.db'}", killer, tmp_path / "import.json",
                      "import", "all", str(backup))
    points = spread(len(seen), 10)
    held = 0
    for point in points:
        path = tmp_path / f"import-{point}.db"
        url = f"sqlite:///{path}"
        killed = program(url, "import", "all", str(backup), kill_after=point, killer=killer)
        assert killed.returncode == -signal.SIGKILL
        assert tables(path) == set(), point  # one transaction: not even the schema stays
        again = program(url, "import", "all", str(backup))
        assert again.returncode == 0, again.stderr
        assert program(url, "verify").returncode == 0
        held += 1
    report(capsys, f"import all, beim Statement getötet: {len(points)} Versuche, {held} "
                   "gehalten")
    assert held == len(points)

