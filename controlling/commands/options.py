"""Options and helpers shared by the commands of events, suggestions and measures."""

import click


def date_of(app, text, what="Datum"):
    """A date the user typed (JJJJ-MM-TT), or a German refusal."""
    from controlling.domain.dates import parse_date

    return app.call(parse_date, text, what)


def on_option(func):
    return click.option("--on", "on", metavar="DATUM",
                        help="Wirksamkeitsdatum JJJJ-MM-TT (Standard: heute).")(func)
