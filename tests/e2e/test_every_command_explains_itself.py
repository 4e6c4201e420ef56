"""Every command and subcommand of the program, those added later included, has a German
help text with an example."""

import click
import pytest
from click.testing import CliRunner

from controlling.cli import cli as root


def command_paths(group: click.Group, prefix=()) -> list[tuple[str, ...]]:
    paths = []
    for name, command in sorted(group.commands.items()):
        path = (*prefix, name)
        paths.append(path)
        if isinstance(command, click.Group):
            paths.extend(command_paths(command, path))
    return paths


PATHS = [(), *command_paths(root)]


def test_the_walk_finds_the_commands_of_the_core():
    for path in [("init",), ("user", "add"), ("recommendation", "support"), ("progress",),
                 ("import", "indicators"), ("district", "list")]:
        assert path in PATHS


@pytest.mark.parametrize("path", PATHS, ids=lambda p: " ".join(p) or "controlling")
def test_the_command_has_a_help_text_with_an_example(path):
    command = root
    for name in path:
        command = command.commands[name]
    assert (command.help or "").strip(), f"'{' '.join(path)}' hat keinen Hilfetext"
    result = CliRunner().invoke(root, [*path, "--help"], catch_exceptions=False)
    assert result.exit_code == 0
    assert result.output.startswith("Aufruf: ")
    assert "Beispiel" in result.output, f"'{' '.join(path)} --help' zeigt kein Beispiel"
    assert "Optionen:" in result.output and "Show this message" not in result.output
