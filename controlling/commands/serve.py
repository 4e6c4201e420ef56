"""`controlling serve`: the web application and its API on uvicorn, on the same database."""

import click

from controlling.commands.context import pass_app
from controlling.commands.german import CliError


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Adresse, an der der Server lauscht (0.0.0.0: alle; dann nur hinter einem "
                   "Proxy mit HTTPS betreiben).")
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535),
              help="Port.")
@click.option("--workers", default=1, show_default=True, type=click.IntRange(1, 64),
              help="Anzahl der Prozesse (PostgreSQL; SQLite: 1).")
@pass_app
def serve(app, host, port, workers):
    """Die Webanwendung und ihre API starten (uvicorn), auf derselben Datenbank wie die
    Kommandozeile (--db, CONTROLLING_DB).

    Im Browser: http://127.0.0.1:8000/ – anmelden mit Login und Passwort ('controlling user
    password LOGIN'). API unter /api/v1 mit 'Authorization: Bearer TOKEN'
    ('controlling user token create'); Beschreibung: /api/v1/openapi.json.

    Beispiel: controlling serve --port 8000
    """
    import os

    import uvicorn

    from controlling.web.app import create_app

    application = app.call(create_app, app.db_url)
    click.echo(f"Webanwendung läuft auf http://{host}:{port}/ (Beenden mit Strg+C).", err=True)
    if workers > 1:
        if app.db_url.startswith("sqlite"):
            raise CliError("Mehrere Prozesse (--workers) nur mit PostgreSQL.")
        os.environ["CONTROLLING_DB"] = app.db_url
        uvicorn.run("controlling.web.asgi:app", host=host, port=port, workers=workers,
                    proxy_headers=True, log_level="warning")
        return
    uvicorn.run(application, host=host, port=port, proxy_headers=True, log_level="warning",
                server_header=False)


def register(cli) -> None:
    cli.add_command(serve)
