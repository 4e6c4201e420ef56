"""Options and helpers shared by the commands of events, suggestions and measures."""

import os

import click


def date_of(app, text, what="Datum"):
    """A date the user typed (JJJJ-MM-TT), or a German refusal."""
    from controlling.domain.dates import parse_date

    return app.call(parse_date, text, what)


def on_option(func):
    return click.option("--on", "on", metavar="DATUM",
                        help="Wirksamkeitsdatum JJJJ-MM-TT (Standard: heute).")(func)


class FilePath(click.Path):
    """A file name. A folder in its place is refused as a missing file is: one German line
    and exit code 1 (click's own check would end with a usage error, exit code 2)."""

    def __init__(self, **options):
        super().__init__(dir_okay=False, **options)

    def convert(self, value, param, ctx):
        from controlling.commands.german import CliError

        if isinstance(value, str) and os.path.isdir(value):
            raise CliError(f"Die Datei '{value}' ist ein Ordner.")
        return super().convert(value, param, ctx)
