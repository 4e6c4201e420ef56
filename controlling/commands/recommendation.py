"""Recommendations (Handlungsempfehlungen): add, list, show, the workflow and progress."""

import click

from controlling.commands.context import pass_app
from controlling.commands.output import (
    answer,
    echo_wrapped,
    emit_csv,
    emit_json,
    emit_table,
    format_option,
    iso_to_german,
    kind_label,
    light_label,
    status_label,
    write_format_option,
)

LIST_COLUMNS = ["number", "title", "district", "department", "kind", "status", "topic"]


def date_option(func):
    return click.option(
        "--on", "on", metavar="DATUM",
        help="Wirksamkeitsdatum JJJJ-MM-TT (Standard: heute).",
    )(func)


def version_option(func):
    return click.option(
        "--expect-version", "expected_version", type=int, metavar="V",
        help="Nur ändern, wenn die Empfehlung noch Version V hat (sonst Konflikt).",
    )(func)


def correction_option(func):
    return click.option(
        "--correction", "correction", metavar="TEXT",
        help="Begründung, wenn die Änderung einen schon veröffentlichten Quartalsbericht "
             "rückwirkend betrifft (Nachtrag; ohne wird abgelehnt).",
    )(func)


def _date(app, text):
    from controlling.domain.dates import parse_date

    return app.call(parse_date, text, "Datum")


@click.group()
def recommendation():
    """Handlungsempfehlungen anlegen, anzeigen und durch den Ablauf führen.

    Ablauf: vorgeschlagen → statistisch gestützt → freigegeben → umgesetzt; oder abgelehnt,
    oder durch eine neue Empfehlung ersetzt (supersede). Verlängerungen und Verstetigungen
    können direkt freigegeben werden.

    \b
    Beispiel:
      controlling recommendation list --status approved
      controlling --user bl-3-1 recommendation approve 7
    """


@recommendation.command("add")
@click.option("--number", required=True, type=int, metavar="NR", help="Eindeutige Nummer.")
@click.option("--title", required=True, help="Titel.")
@click.option("--district", required=True, help="Sozialraum (Name) oder 'stadtweit'.")
@click.option("--department", required=True, help="Zuständiger Bereich (Code, z. B. 3-2).")
@click.option("--kind", default="new", show_default=True, metavar="new|extension|permanence",
              help="Art: neu, Verlängerung oder Verstetigung.")
@click.option("--topic", help="Thema (z. B. Gesundheit).")
@click.option("--description", help="Beschreibung.")
@date_option
@correction_option
@write_format_option
@pass_app
def add(app, number, title, district, department, kind, topic, description, on, correction,
        output_format):
    """Eine neue Empfehlung anlegen (Status 'vorgeschlagen'); Sozialplanung und Admins.

    Beispiel: controlling recommendation add --number 7 --title "Familienzentrum ausbauen"
    --district Osterfeld --department 3-1 --topic Jugend
    """
    from controlling.services.recommendations import add_recommendation

    result = app.run(add_recommendation, number=number, title=title, district=district,
                     department=department, kind=kind, topic=topic, description=description,
                     on=_date(app, on), correction=correction)
    answer(output_format, result, f"Empfehlung {result['number']} angelegt (vorgeschlagen).")


@recommendation.command("edit")
@click.argument("number", type=int, metavar="NR")
@click.option("--title", help="Neuer Titel.")
@click.option("--description", help="Neue Beschreibung ('' entfernt sie).")
@click.option("--topic", help="Neues Thema ('' entfernt es).")
@click.option("--kind", metavar="new|extension|permanence", help="Neue Art (nur vor der "
              "Freigabe).")
@click.option("--district", help="Neuer Sozialraum (nur solange die Empfehlung offen ist).")
@click.option("--department", help="Neuer Bereich (nur solange die Empfehlung offen ist).")
@click.option("--reason", required=True, help="Warum korrigiert wird (Pflicht, im Verlauf).")
@version_option
@write_format_option
@pass_app
def edit(app, number, title, description, topic, kind, district, department, reason,
         expected_version, output_format):
    """Eine Empfehlung korrigieren (Sozialplanung und Admins). Jede Korrektur bleibt mit
    altem und neuem Wert, wer, wann und warum im Verlauf ('recommendation show', 'trace').

    Beispiel: controlling recommendation edit 7 --department 3-2 --reason "Zuständigkeit
    gewechselt"
    """
    from controlling.domain.recommendation_edits import FIELDS
    from controlling.services.recommendation_edits import edit_recommendation

    fields = {"title": title, "description": description, "topic": topic, "kind": kind,
              "district": district, "department": department}
    result = app.run(edit_recommendation, number, fields=fields, reason=reason,
                     expected_version=expected_version)
    changed = ", ".join(FIELDS[k] for k in result["change"])
    answer(output_format, result, f"Empfehlung {number} korrigiert ({changed}); Version "
                                  f"{result['version']}.")


@recommendation.command("list")
@click.option("--status", metavar="STATUS",
              help="Nur dieser Status: proposed, statistically_supported, approved, "
                   "implemented, rejected oder superseded (auch deutsch, z. B. freigegeben).")
@click.option("--district", help="Nur dieser Sozialraum.")
@click.option("--department", help="Nur dieser Bereich (Code).")
@click.option("--topic", help="Nur dieses Thema (z. B. Gesundheit).")
@click.option("--search", metavar="TEXT", help="Nur mit diesem Text in Titel oder "
              "Beschreibung (ohne Unterschied von Groß- und Kleinschreibung).")
@format_option("table", "csv", "json")
@pass_app
def list_(app, status, district, department, topic, search, output_format):
    """Empfehlungen auflisten, wahlweise gefiltert.

    Beispiel: controlling recommendation list --district Osterfeld --format csv
    """
    from controlling.services.recommendations import list_entry, list_recommendations

    rows = app.run(list_recommendations, status=status, district=district,
                   department=department, topic=topic, text=search)
    if output_format == "json":
        return emit_json([list_entry(r) for r in rows])
    if output_format == "csv":
        return emit_csv(rows, LIST_COLUMNS)
    emit_table(
        "Handlungsempfehlungen",
        ["Nr.", "Titel", "Sozialraum", "Bereich", "Art", "Status", "Thema"],
        [[r["number"], r["title"], r["district"], r["department"], kind_label(r["kind"]),
          status_label(r["status"]), r["topic"] or ""] for r in rows],
        "Keine Empfehlungen gefunden.",
    )


@recommendation.command("show")
@click.argument("number", type=int, metavar="NR")
@format_option("table", "json")
@pass_app
def show(app, number, output_format):
    """Eine Empfehlung mit ihrem vollständigen Verlauf und den Sachständen zeigen.

    Beispiel: controlling recommendation show 7 --format json
    """
    from controlling.domain.workflow import ACTION_LABELS
    from controlling.services.recommendations import show_recommendation

    rec = app.run(show_recommendation, number)
    if output_format == "json":
        return emit_json(rec)
    echo_wrapped(f"Empfehlung {rec['number']}: {rec['title']}")
    echo_wrapped(f"  Sozialraum: {rec['district']}   Bereich: {rec['department']}   "
               f"Art: {kind_label(rec['kind'])}   Thema: {rec['topic'] or '–'}")
    echo_wrapped(f"  Status: {status_label(rec['status'])}   Version: {rec['version']}"
               + ("   (Beispieldaten)" if rec["example"] else ""))
    if rec.get("superseded_by"):
        echo_wrapped(f"  ersetzt durch Empfehlung {rec['superseded_by']}")
    if rec.get("supersedes"):
        echo_wrapped("  ersetzt Empfehlung " + ", ".join(str(n) for n in rec["supersedes"]))
    if rec["description"]:
        echo_wrapped(f"  Beschreibung: {rec['description']}")
    emit_table("Verlauf", ["wirksam", "von", "nach", "wer", "erfasst", "Vermerk", "Beleg"], [
        [iso_to_german(h["effective_on"]), status_label(h["from_status"]),
         status_label(h["to_status"]), h["actor"], iso_to_german(h["recorded_at"]),
         h["note"] or "", _evidence_text(h["evidence"])] for h in rec["history"]
    ], "Kein Verlauf.")
    emit_table("Sachstände", ["Nr.", "Quartal", "Ampel", "Sachstand", "wer", "wirksam",
                              "Korrektur"], [
        [str(p["id"]), p["quarter"], light_label(p["light"]), p["note"], p["actor"],
         iso_to_german(p["effective_on"]), _correction_text(p)]
        for p in rec["progress"]
    ], "Noch keine Sachstände.")
    if rec["edits"]:
        from controlling.domain.recommendation_edits import describe_changes

        emit_table("Korrekturen", ["erfasst", "wer", "geändert", "Begründung"], [
            [iso_to_german(e["recorded_at"]), e["actor"], describe_changes(e["changes"]),
             e["reason"]] for e in rec["edits"]], "")
    actions = [ACTION_LABELS[a] for a in rec["next_actions"]]
    echo_wrapped("Ihre möglichen nächsten Schritte: " + (", ".join(actions) if actions
                                                         else "keine"))


def _correction_text(progress: dict) -> str:
    parts = []
    if progress["corrects"]:
        parts.append(f"korrigiert {progress['corrects']}")
    if progress.get("corrected_by"):
        parts.append(f"korrigiert durch {progress['corrected_by']}")
    return "; ".join(parts)


def _evidence_text(evidence: dict | None) -> str:
    if not evidence:
        return ""
    from controlling.domain.evidence import format_pair

    if evidence.get("source") == "sozialindex":  # the Sozialindex
        from controlling.domain.formatting import format_number

        return (f"{evidence['label']} {evidence['year']}: {evidence['area']} "
                f"{format_number(evidence['district_value'], 2)} (Durchschnitt 0)")
    district_value, city_value = format_pair(evidence["district_value"], evidence["city_value"])
    label = f"{evidence['indicator']} {evidence['year']}"
    return f"{label}: {district_value} ggü. stadtweit {city_value}"


def _transition_done(result, output_format: str = "text") -> None:
    change = result["change"]
    answer(output_format, result,
           f"Empfehlung {result['number']}: {status_label(change['from_status'])} → "
           f"{status_label(change['to_status'])} "
           f"(wirksam {iso_to_german(change['effective_on'])}).")


@recommendation.command("support")
@click.argument("number", type=int, metavar="NR")
@click.option("--indicator", help="Indikator-Code aus dem Sozialbericht.")
@click.option("--index", "index", type=click.Choice(["status", "dynamics"]),
              help="Statt eines Indikators der Sozialindex: gestützt bei Statusklasse "
                   "'niedrig'/'sehr niedrig' bzw. Dynamikklasse 'negativ' (neueste Berechnung).")
@click.option("--quarter", metavar="QUARTIER",
              help="Mit --index: ein Sozialquartier des Sozialraums der Empfehlung (sonst der "
                   "Sozialraum selbst, aus einer Berechnung mit --level district).")
@click.option("--year", type=int, metavar="JAHR",
              help="Jahr (Standard: das letzte Jahr mit Werten für Sozialraum und Stadt; mit "
                   "--index: die neueste Berechnung).")
@click.option("--note", help="Vermerk.")
@date_option
@version_option
@correction_option
@write_format_option
@pass_app
def support(app, number, indicator, index, quarter, year, note, on, expected_version,
            correction, output_format):
    """Statistisch stützen: vorgeschlagen → statistisch gestützt.

    Gelingt nur, wenn der Indikatorwert des Sozialraums schlechter ist als der stadtweite
    Wert desselben Jahres, oder (--index) wenn der Sozialindex des Sozialraums bzw. eines
    seiner Sozialquartiere unterdurchschnittlich ist. Die Werte werden als Beleg gespeichert.

    \b
    Beispiel:
      controlling recommendation support 7 --indicator sgb2_quote --year 2022
      controlling recommendation support 8 --index status --quarter Tackenberg
    """
    from controlling.services.recommendations import change_status

    if not indicator and not index:  # wrong usage (exit 2), as when --indicator was required
        raise click.UsageError("Es fehlt die Option '--indicator'. (Oder der Sozialindex als "
                               "Beleg: --index status|dynamics.)")
    _transition_done(app.run(change_status, number, "support", note=note, on=_date(app, on),
                             indicator=indicator, year=year, expected_version=expected_version,
                             correction=correction, index=index, quarter=quarter),
                     output_format)


@recommendation.command("approve")
@click.argument("number", type=int, metavar="NR")
@click.option("--note", help="Vermerk.")
@date_option
@version_option
@correction_option
@write_format_option
@pass_app
def approve(app, number, note, on, expected_version, correction, output_format):
    """Freigeben (nur die Bereichsleitung des zuständigen Bereichs).

    Aus 'statistisch gestützt'; bei Verlängerung und Verstetigung auch direkt aus
    'vorgeschlagen'.

    Beispiel: controlling --user bl-3-1 recommendation approve 7
    """
    from controlling.services.recommendations import change_status

    _transition_done(app.run(change_status, number, "approve", note=note, on=_date(app, on),
                             expected_version=expected_version, correction=correction),
                     output_format)


@recommendation.command("implement")
@click.argument("number", type=int, metavar="NR")
@click.option("--note", required=True, help="Vermerk zur Umsetzung (Pflicht).")
@date_option
@version_option
@correction_option
@write_format_option
@pass_app
def implement(app, number, note, on, expected_version, correction, output_format):
    """Als umgesetzt melden: freigegeben → umgesetzt (Endstatus).

    Beispiel: controlling recommendation implement 7 --note "Eröffnet am 01.10.2024"
    """
    from controlling.services.recommendations import change_status

    _transition_done(app.run(change_status, number, "implement", note=note, on=_date(app, on),
                             expected_version=expected_version, correction=correction),
                     output_format)


@recommendation.command("reject")
@click.argument("number", type=int, metavar="NR")
@click.option("--reason", required=True, help="Begründung (Pflicht).")
@date_option
@version_option
@correction_option
@write_format_option
@pass_app
def reject(app, number, reason, on, expected_version, correction, output_format):
    """Ablehnen: aus 'vorgeschlagen' oder 'statistisch gestützt' (Endstatus).

    Beispiel: controlling recommendation reject 7 --reason "statistisch nicht gestützt"
    """
    from controlling.services.recommendations import change_status

    _transition_done(app.run(change_status, number, "reject", note=reason, on=_date(app, on),
                             expected_version=expected_version, correction=correction),
                     output_format)


@click.command()
@click.argument("number", type=int, metavar="NR")
@click.option("--quarter", required=True, metavar="JJJJ-QN", help="Quartal, z. B. 2024-Q1.")
@click.option("--light", required=True, metavar="green|yellow|red",
              help="Ampel: green, yellow oder red (auch grün, gelb, rot).")
@click.option("--note", required=True, help="Sachstand (Text).")
@date_option
@version_option
@correction_option
@click.option("--corrects", type=int, metavar="ID",
              help="Korrigiert den Sachstand ID desselben Quartals (die Nummern zeigt "
                   "'recommendation show'); der frühere bleibt im Verlauf.")
@write_format_option
@pass_app
def progress(app, number, quarter, light, note, on, expected_version, correction, corrects,
             output_format):
    """Den Sachstand einer freigegebenen Empfehlung für ein Quartal erfassen (mit Ampel).

    Sozialplanung, Admins oder die Bereichsleitung des zuständigen Bereichs. Ein falscher
    Sachstand wird durch einen neuen korrigiert (--corrects ID); beide bleiben im Verlauf.

    Beispiel: controlling progress 7 --quarter 2024-Q2 --light yellow --note "Umbau verzögert"
    """
    from controlling.services.recommendations import record_progress

    result = app.run(record_progress, number, quarter=quarter, light=light, note=note,
                     on=_date(app, on), expected_version=expected_version,
                     correction=correction, corrects=corrects)
    p = result["progress"]
    answer(output_format, result,
           f"Sachstand {p['quarter']} für Empfehlung {result['number']} erfasst "
           f"(Ampel {light_label(p['light'])}, wirksam {iso_to_german(p['effective_on'])}).")
