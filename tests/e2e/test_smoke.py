"""The first walk through the workflow, as a user types it."""


def test_a_new_recommendation_walks_from_proposed_to_implemented(cli, people):
    assert cli("recommendation", "add", "--number", 1, "--title", "Familienzentrum",
               "--district", "osterfeld", "--department", "3-1", "--on", "2024-01-10",
               user="planer").exit_code == 0
    result = cli("recommendation", "approve", 1, "--on", "2024-01-11", user="bl31")
    assert result.exit_code == 1
    assert "Empfehlung 1 ist 'vorgeschlagen'" in result.stderr


def test_the_readme_main_job_prints_german_lines_only_and_no_warning(tmp_path):
    """`init --demo` and `report quarterly` in a fresh folder, as the README's main command
    runs them (the operating system's login becomes the admin): nothing on standard error,
    no SAWarning of SQLAlchemy's reflection."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent.parent
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTROLLING_")}
    for args in (("init", "--demo"), ("report", "quarterly", "--quarter", "2025-Q1")):
        result = subprocess.run([sys.executable, str(root / "cli.py"), *args], cwd=tmp_path,
                                env=env, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    assert (tmp_path / "controlling-2025-Q1.pdf").is_file()
