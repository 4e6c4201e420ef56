"""The trace of a recommendation: from the events' suggestions and measures to its status."""

import click

from controlling.commands.context import pass_app
from controlling.commands.output import (
    emit_json,
    format_option,
    iso_to_german,
    kind_label,
    light_label,
    status_label,
)
from controlling.commands.suggestion import outcome_label


@click.command()
@click.argument("number", type=int, metavar="N")
@format_option("tree", "json", default="tree")
@pass_app
def trace(app, number, output_format):
    """Eine Empfehlung zurückverfolgen: Veranstaltungen und Hinweise, aus denen sie kam, ihre
    Maßnahmen, der ganze Statusverlauf mit Belegen und alle Sachstände.

    Beispiel: controlling trace 7 --format json
    """
    from controlling.services.trace import trace_recommendation

    result = app.run(trace_recommendation, number)
    if output_format == "json":
        return emit_json(result)
    _print_tree(result)


def _print_tree(t: dict) -> None:
    from rich.markup import escape
    from rich.tree import Tree

    from controlling.commands.output import console
    from controlling.commands.recommendation import _evidence_text

    def add(node, text):
        return node.add(escape(text))

    root = Tree(escape(f"Empfehlung {t['number']}: {t['title']} – {status_label(t['status'])}, "
                       f"{kind_label(t['kind'])}, {t['district']}, Bereich {t['department']}"))
    if t.get("superseded_by"):
        add(root, f"ersetzt durch Empfehlung {t['superseded_by']}")
    if t.get("supersedes"):
        add(root, "ersetzt Empfehlung " + ", ".join(str(n) for n in t["supersedes"]))
    origin = add(root, "Herkunft")
    if not t["suggestions"]:
        add(origin, "kein Hinweis verknüpft")
    for e in t["events"]:
        node = add(origin, f"Veranstaltung {e['id']}: {e['title']}, {e['date']}")
        for s in (s for s in t["suggestions"] if s["event_id"] == e["id"]):
            o = s["outcome"]
            add(node, f"Hinweis {s['id']}: „{s['text']}“ → {outcome_label(s['status'])}, "
                      f"entschieden {iso_to_german(o['decided_on'])} von {o['actor']}")
    measures = add(root, "Maßnahmen")
    if not t["measures"]:
        add(measures, "keine")
    for m in t["measures"]:
        limit = f"befristet bis {iso_to_german(m['ends_on'])}" if m["ends_on"] else "unbefristet"
        add(measures, f"Maßnahme {m['id']}: {m['title']} ({m['department']}; "
                      f"{', '.join(m['districts'])}; {limit})")
    history = add(root, "Statusverlauf")
    for h in t["history"]:
        line = (f"{iso_to_german(h['effective_on'])}: {status_label(h['from_status'])} → "
                f"{status_label(h['to_status'])} ({h['actor']})")
        if h["note"]:
            line += f" – {h['note']}"
        if h["source"]:
            line += f" [{h['source']}]"
        if h["evidence"]:
            line += f" – Beleg: {_evidence_text(h['evidence'])}"
        add(history, line)
    progress = add(root, "Sachstände")
    if not t["progress"]:
        add(progress, "noch keine")
    for p in t["progress"]:
        marks = (f" [korrigiert {p['corrects']}]" if p["corrects"] else "") + (
            f" [korrigiert durch {p['corrected_by']}]" if p.get("corrected_by") else "")
        add(progress, f"{p['id']}: {p['quarter']} {light_label(p['light'])}: {p['note']} "
                      f"({p['actor']}, {iso_to_german(p['effective_on'])}){marks}")
    if t["edits"]:
        from controlling.domain.recommendation_edits import describe_changes

        edits = add(root, "Korrekturen")
        for e in t["edits"]:
            add(edits, f"{iso_to_german(e['recorded_at'])} {e['actor']}: "
                       f"{describe_changes(e['changes'])} – {e['reason']}")
    console().print(root)


def register(cli) -> None:
    cli.add_command(trace)
