"""Finding things: `indicator list` (the social report's values) and `inbox` (what waits for
the acting person)."""

import click

from controlling.commands.context import pass_app
from controlling.commands.output import (
    emit_json,
    emit_table,
    format_option,
    iso_to_german,
    kind_label,
    status_label,
)


@click.group("indicator")
def indicator():
    """Indikatoren des Sozialberichts (Sozialindex) ansehen.

    Beispiel: controlling indicator list --district Osterfeld
    """


@indicator.command("list")
@click.option("--district", help="Nur dieser Sozialraum (oder stadtweit).")
@click.option("--year", type=int, metavar="JAHR", help="Nur dieses Jahr.")
@format_option("table", "json")
@pass_app
def indicator_list(app, district, year, output_format):
    """Die eingelesenen Indikatorwerte je Indikator, Jahr und Sozialraum, mit dem Wert der
    Stadt (stadtweit) im selben Jahr und ob der Sozialraum schlechter dasteht (die Regel von
    'recommendation support'). Alle Rollen.

    JSON: Liste von {indicator, label, higher_is_worse, district, year, value, city_value,
    worse_than_city}.

    Beispiel: controlling indicator list --year 2022 --format json
    """
    from controlling.domain.formatting import format_number
    from controlling.services.finding import indicator_values

    rows = app.run(indicator_values, district=district, year=year)
    if output_format == "json":
        return emit_json(rows)

    def compared(row) -> str:
        if row["worse_than_city"] is None:
            return ""
        return "schlechter" if row["worse_than_city"] else "nicht schlechter"

    emit_table(
        "Indikatorwerte",
        ["Indikator", "Bezeichnung", "Jahr", "Sozialraum", "Wert", "stadtweit",
         "ggü. Stadt"],
        [[r["indicator"], r["label"], r["year"], r["district"], format_number(r["value"]),
          "" if r["city_value"] is None else format_number(r["city_value"]), compared(r)]
         for r in rows],
        "Keine Indikatorwerte gefunden (einlesen: controlling import indicators DATEI).",
    )


@click.command("inbox")
@click.option("--quarter", metavar="JJJJ-QN",
              help="Quartal der Sachstände (Standard: das zuletzt abgeschlossene).")
@format_option("table", "json")
@pass_app
def inbox(app, quarter, output_format):
    """Was auf mich wartet (Eingang), je nach Rolle.

    \b
    Bereichsleitung: Empfehlungen des eigenen Bereichs, die ich jetzt freigeben oder
      ablehnen darf (wie 'Zur Freigabe' im Browser), und freigegebene ohne Sachstand für
      das Quartal.
    Sozialplanung und Admins: Hinweise ohne Entscheidung, vorgeschlagene Empfehlungen ohne
      statistische Prüfung, freigegebene Empfehlungen aller Bereiche ohne Sachstand.

    JSON: {login, role, department, quarter, decide, progress_due, untriaged, unchecked};
    Empfehlungen als {number, title, district, department, kind, status, topic}, in decide
    mit actions; Hinweise als {id, event_id, event, held_on, district, topic, text}.

    Beispiel: controlling inbox --quarter 2024-Q2
    """
    from controlling.services.finding import inbox as service

    result = app.run(service, quarter=quarter)
    if output_format == "json":
        return emit_json(result)
    from controlling.domain.dates import Quarter
    from controlling.domain.workflow import ACTION_LABELS

    label = Quarter.parse(result["quarter"]).label
    role = result["role"]
    shown = False

    def recommendations(title, rows, empty, actions=False):
        headers = ["Nr.", "Titel", "Sozialraum", "Bereich", "Art", "Status"]
        emit_table(title, headers + (["möglich"] if actions else []),
                   [[r["number"], r["title"], r["district"], r["department"],
                     kind_label(r["kind"]), status_label(r["status"])]
                    + ([", ".join(ACTION_LABELS[a] for a in r["actions"])] if actions else [])
                    for r in rows], empty)

    if role == "department_head":
        shown = True
        recommendations(f"Zur Entscheidung (Bereich {result['department']})",
                        result["decide"], "Nichts zu entscheiden.", actions=True)
        recommendations(f"Sachstand fällig für {label}", result["progress_due"],
                        f"Alle Sachstände für {label} sind erfasst.")
    if role in ("planner", "admin"):
        shown = True
        emit_table("Hinweise ohne Entscheidung", ["Nr.", "Veranstaltung", "Sozialraum",
                                                  "Thema", "Hinweis"],
                   [[s["id"], f"{s['event_id']} ({iso_to_german(s['held_on'])})",
                     s["district"], s["topic"] or "", s["text"]] for s in result["untriaged"]],
                   "Keine offenen Hinweise.")
        recommendations("Ohne statistische Prüfung (vorgeschlagen)", result["unchecked"],
                        "Keine vorgeschlagene Empfehlung wartet auf die Prüfung.")
        recommendations(f"Ohne Sachstand für {label}", result["progress_due"],
                        f"Alle Sachstände für {label} sind erfasst.")
    if not shown:
        click.echo("Für Ihre Rolle wartet nichts auf eine Bearbeitung; Berichte: "
                   "controlling report list.")


def register(cli) -> None:
    if "indicator" in cli.commands:  # whichever module registers the group first
        cli.commands["indicator"].add_command(indicator_list)
    else:
        cli.add_command(indicator)
    cli.add_command(inbox)
