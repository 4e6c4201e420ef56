"""The installed package claims the one top-level name `controlling`: the repository's
reports/ and migrations/ are installed as controlling.reports and controlling.migrations, and
cli.py (a shim for `python cli.py` in a checkout) is not installed at all."""

import sysconfig
from importlib import metadata

import pytest


def installed_files() -> list[str]:
    """The files of the installation in site-packages (not the build metadata a checkout
    may hold in controlling.egg-info)."""
    found = list(metadata.Distribution.discover(name="controlling",
                                                path=[sysconfig.get_paths()["purelib"]]))
    if not found:
        pytest.skip("das Paket 'controlling' ist nicht installiert")
    return [str(f) for f in found[0].files or []]


def test_nothing_but_controlling_is_installed_at_the_top_level():
    files = [f for f in installed_files() if not f.startswith("controlling-")  # dist-info
             and not f.startswith("__pycache__/__editable__")]  # an editable finder's bytecode
    tops = {f.split("/", 1)[0] for f in files if not f.startswith("..")}
    assert {t for t in tops if not t.startswith("__editable__")} <= {"controlling"}, tops
    assert not {"cli.py", "reports", "migrations"} & tops


def test_the_console_script_is_the_packages_own_command_line():
    found = list(metadata.Distribution.discover(name="controlling",
                                                path=[sysconfig.get_paths()["purelib"]]))
    if not found:
        pytest.skip("das Paket 'controlling' ist nicht installiert")
    scripts = [e for e in found[0].entry_points if e.group == "console_scripts"]
    assert [(s.name, s.value) for s in scripts] == [("controlling", "controlling.cli:main")]


def test_a_checkout_finds_reports_and_migrations_under_the_package_name():
    from controlling.reports import quarterly

    from controlling.data.database import migrations_dir

    assert quarterly.__name__ == "controlling.reports.quarterly"
    assert (migrations_dir() / "versions").is_dir()
