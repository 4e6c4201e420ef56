"""The German texts of the update round's mails, each as subject, plain text and HTML (every
value escaped in the HTML). Plain data in, strings out."""

from datetime import date
from html import escape

from controlling.domain.dates import Quarter
from controlling.domain.formatting import format_date

SIGNATURE = "Mit freundlichen Grüßen\nIhr Team Sozialplanung"
AUTOMATIC = ("Diese Nachricht wurde vom Controlling der Sozialplanung automatisch versandt.")


def link(config, quarter: str) -> str:
    """The head's Sachstand page of the quarter in the web application."""
    return f"{config.base_url}/sachstand?quartal={quarter}"


def _greeting(heads) -> str:
    named = [h.name for h in heads if h.email]
    return f"Guten Tag {named[0]}," if len(named) == 1 else "Guten Tag,"


def _compose(subject: str, greeting: str, paragraphs: list[str], items: list[str],
             after: list[str], url: str | None) -> dict:
    text = [greeting, ""]
    html = [f"<p>{escape(greeting)}</p>"]
    for paragraph in paragraphs:
        text += [paragraph, ""]
        html.append(f"<p>{escape(paragraph)}</p>")
    if items:
        text += [f"- {item}" for item in items] + [""]
        html.append("<ul>" + "".join(f"<li>{escape(item)}</li>" for item in items) + "</ul>")
    if url:
        text += [f"Sachstand im Browser eintragen: {url}", ""]
        html.append(f'<p><a href="{escape(url)}">Sachstand im Browser eintragen</a></p>')
    for paragraph in after:
        text += [paragraph, ""]
        html.append(f"<p>{escape(paragraph)}</p>")
    text += [SIGNATURE, "", "-- ", AUTOMATIC]
    html.append("<p>" + escape(SIGNATURE).replace("\n", "<br>") + "</p>")
    html.append(f"<p><small>{escape(AUTOMATIC)}</small></p>")
    body = "\n".join(text) + "\n"
    page = ('<!DOCTYPE html><html lang="de"><head><meta charset="utf-8"><title>'
            f"{escape(subject)}</title></head><body>" + "".join(html) + "</body></html>")
    return {"subject": subject, "text": body, "html": page}


def _item(rec) -> str:
    return f"Nr. {rec.number}: {rec.title} ({rec.district.name})"


def request(config, started, department, heads, recs) -> dict:
    quarter = Quarter.parse(started.quarter)
    due = format_date(started.due_on)
    return _compose(
        f"Sachstandsabfrage {quarter.label}: Bereich {department.code} (bis {due})",
        _greeting(heads),
        [f"die Sozialplanung bittet um den Sachstand für das {quarter.label} zu den "
         f"freigegebenen Handlungsempfehlungen des Bereichs {department.code} "
         f"{department.name}, bis zum {due}: je Empfehlung eine Ampel (grün, gelb, rot) und "
         "ein kurzer Text."],
        [_item(rec) for rec in recs],
        ["Wer lieber in Excel arbeitet: den beigefügten Bogen ausfüllen und an die "
         "Sozialplanung zurücksenden (die gesperrten Spalten bitte nicht ändern)."],
        link(config, started.quarter),
    )


def reminder(config, started, department, heads, recs, kind: str, day: date) -> dict:
    quarter = Quarter.parse(started.quarter)
    due = format_date(started.due_on)
    if kind == "due_soon":
        subject = f"Erinnerung: Sachstand {quarter.label} bis {due} (Bereich {department.code})"
        first = (f"bis zum {due} fehlt noch der Sachstand für das {quarter.label} zu diesen "
                 f"Handlungsempfehlungen des Bereichs {department.code}:")
    else:
        days = (day - started.due_on).days
        subject = (f"Überfällig: Sachstand {quarter.label} (Bereich {department.code}, "
                   f"fällig am {due})")
        first = (f"der Sachstand für das {quarter.label} war am {due} fällig (vor {days} "
                 f"{'Tag' if days == 1 else 'Tagen'}) und fehlt noch zu diesen "
                 f"Handlungsempfehlungen des Bereichs {department.code}:")
    return _compose(subject, _greeting(heads), [first], [_item(rec) for rec in recs], [],
                    link(config, started.quarter))


def escalation(config, started, state, recs, day: date) -> dict:
    quarter = Quarter.parse(started.quarter)
    due = format_date(started.due_on)
    open_count = state["totals"]["open"]
    items = []
    for entry in state["departments"]:
        if entry["open"]:
            heads = ", ".join(entry["heads"]) or "keine Bereichsleitung eingetragen"
            numbers = ", ".join(f"Nr. {n}" for n in entry["open"])
            items.append(f"Bereich {entry['department']} ({heads}): {numbers}")
    return _compose(
        f"Sachstandsabfrage {quarter.label}: {open_count} ohne Sachstand (fällig am {due})",
        "Guten Tag,",
        [f"in der Sachstandsabfrage für das {quarter.label} (fällig am {due}) fehlen am "
         f"{format_date(day)} noch {open_count} von {state['totals']['asked']} Sachständen, "
         "trotz Erinnerung:"],
        items,
        ["Stand jederzeit: controlling round status --quarter " + started.quarter],
        None,
    )


def measure_ending(config, measure, heads, day: date) -> dict:
    ends = format_date(measure.ends_on)
    days = (measure.ends_on - day).days
    return _compose(
        f"Befristete Maßnahme endet am {ends}: {measure.title}",
        _greeting(heads),
        [f"die befristete Maßnahme \u201e{measure.title}\u201c (Nr. {measure.id}) Ihres "
         f"Bereichs endet am {ends}, in {days} {'Tag' if days == 1 else 'Tagen'}. Eine "
         "Empfehlung zur Verlängerung oder Verstetigung gibt es noch nicht.",
         "Soll das Angebot weitergehen, bitte die Sozialplanung ansprechen, damit eine "
         "Empfehlung zur Verlängerung oder Verstetigung vorbereitet werden kann."],
        [], [], None)
