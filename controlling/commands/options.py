"""Options and helpers shared by the commands of events, suggestions and measures."""

import functools
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


def hidden_alias(old: str, new: str, dest: str):
    """The older name `old` of the option `new` (destination `dest`), kept for scripts but
    not shown in the help: one name per idea, nothing that worked stops working. Both given:
    a usage error. (A value that must be given is checked by the service, after the acting
    person is proven.)"""
    alias = f"{dest}__old_name"

    def decorate(function):
        @functools.wraps(function)
        def with_alias(*args, **kwargs):
            value = kwargs.pop(alias, None)
            if value is not None:
                if kwargs.get(dest) is not None:
                    raise click.UsageError(f"{new} und {old} (der alte Name) schließen sich "
                                           "aus.")
                kwargs[dest] = value
            return function(*args, **kwargs)

        return click.option(old, alias, hidden=True)(with_alias)

    return decorate
