"""The PDF of the quarterly report, rendered from plain data (no database) and read back."""

import re
from datetime import date

import pytest
from controlling.reports.quarterly import render_quarterly_pdf

from controlling.domain.dates import Quarter
from controlling.domain.reference import PUBLISHER
from tests.report_builders import Book, pdf_body, pdf_pages, pdf_text, squeeze

Q1 = Quarter(2024, 1)
MADE_ON = date(2024, 4, 5)
LONG = " ".join(
    f"Satz {n}: Die Maßnahme „Stadtteilbüro Süd“ läuft weiter, Träger und Ämter stimmen sich "
    f"über Räume, Öffnungszeiten und Finanzierung ab (Rückmeldung Nr. {n})."
    for n in range(1, 41)
)  # about 5,000 characters: more than one page in a table cell


@pytest.fixture(scope="module")
def report():
    book = Book()
    book.add(1, "2023-05-10", title="Familienzentrum im Quartier ausbauen")
    book.move(1, "approved", "2023-06-01", role="department_head", dept="3-1")
    book.add(2, "2024-01-15", district="Mitte/Styrum", department="3-2",
             title="Offene Sprechstunde für Bürgergeld und Teilhabe im Stadtteilbüro Styrum")
    book.move(2, "statistically_supported", "2024-02-01", evidence={
        "indicator": "sgb2_quote", "label": "SGB-II-Quote in %", "year": 2022,
        "district": "Mitte/Styrum", "district_value": 23.9, "city_value": 17.1,
        "higher_is_worse": True})
    book.add(3, "2023-04-01", district="stadtweit", title="Übersicht der Ehrenämter")
    book.add(4, "2023-05-10", title="Grünflächen öffnen")
    book.move(4, "approved", "2023-06-01", role="department_head", dept="3-1")
    return book.report(Q1, light_of=[(1, "2024-Q1", "red", "2024-03-20", LONG)])


@pytest.fixture(scope="module")
def pdf(report):
    return render_quarterly_pdf(report, made_on=MADE_ON)


def test_the_title_page_names_report_quarter_as_of_date_publisher_and_date_made(pdf):
    first = " ".join(pdf_pages(pdf[0])[0].split())
    assert "Controllingbericht Handlungsempfehlungen" in first
    assert "1. Quartal 2024" in first
    assert "Stand: 31.03.2024" in first
    assert " ".join(PUBLISHER.split()) in first
    assert "Erstellt am 05.04.2024" in first


def test_every_page_says_which_page_of_how_many_it_is(pdf):
    content, pages = pdf
    texts = pdf_pages(content)
    assert len(texts) == pages > 5
    for number, page_text in enumerate(texts, start=1):
        assert f"Seite {number} von {pages}" in page_text


def test_every_section_title_is_in_the_text_and_in_the_table_of_contents(pdf):
    text = pdf_text(pdf[0])
    titles = ["Inhalt", "1 Zusammenfassung", "1.1 Empfehlungen nach Status",
              "1.2 Ampeln der freigegebenen Empfehlungen", "1.3 Übersicht nach Sozialraum",
              "1.4 Übersicht nach Bereich", "2 Empfehlungen nach Sozialraum", "2.1 Osterfeld",
              "2.2 Mitte/Styrum", "2.3 stadtweit", "3 Empfehlungen nach Bereich",
              "3.1 Bereich 3-1 Kinder, Jugend und Familie", "3.2 Bereich 3-2 Soziales",
              "4 Statusänderungen im 1. Quartal 2024", "5 Handlungsbedarf",
              "5.1 Freigegeben ohne Sachstand für das Quartal", "5.2 Rote Ampel",
              "5.3 Seit mehr als zwei Quartalen ohne Entscheidung",
              "6 Nachträge zu früheren Berichten", "7 Erläuterungen", "Auf einen Blick"]
    contents = pdf_pages(pdf[0])[1]
    for title in titles:
        assert title in text
        if title != "Inhalt":
            assert text.count(title) >= 2, f"{title} fehlt im Inhaltsverzeichnis"
    assert "Übersicht" in contents and "Erläuterungen" in contents


def test_umlauts_quotes_and_german_numbers_come_out_as_written(pdf):
    text = pdf_text(pdf[0])
    for word in ("Übersicht der Ehrenämter", "Grünflächen öffnen", "„Stadtteilbüro Süd“",
                 "Maßnahme", "Bürgergeld", "23,9", "17,1", "höher ist schlechter"):
        assert word in text


def test_a_long_sachstand_wraps_over_pages_and_is_never_cut(pdf):
    assert squeeze(LONG) in squeeze(pdf_body(pdf[0]))


def test_the_same_data_gives_the_same_bytes(report, pdf):
    again, _ = render_quarterly_pdf(report, made_on=MADE_ON)
    assert again == pdf[0]
    other_day, _ = render_quarterly_pdf(report, made_on=date(2024, 4, 6))
    assert other_day != pdf[0]


def test_the_publisher_can_be_set(report):
    content, _ = render_quarterly_pdf(report, made_on=MADE_ON, publisher="Stadt Musterhausen")
    assert "Stadt Musterhausen" in pdf_text(content)


def test_the_attention_list_names_stale_red_and_long_undecided_recommendations(pdf):
    text = pdf_text(pdf[0])
    attention = text[text.rindex("5 Handlungsbedarf"):text.rindex("6 Nachträge")]
    stale = attention[:attention.index("5.2 Rote Ampel")]
    assert "4 Grünflächen öffnen" in stale and "Familienzentrum" not in stale
    red = attention[attention.index("5.2 Rote Ampel"):attention.index("5.3 Seit")]
    assert "1 Familienzentrum im Quartier ausbauen" in red
    undecided = attention[attention.index("5.3 Seit"):]
    assert "3 Übersicht der Ehrenämter" in undecided and "Bürgergeld" not in undecided


def test_the_changes_show_date_role_and_the_evidence_of_statistical_support(pdf):
    text = pdf_text(pdf[0])
    changes = text[text.rindex("4 Statusänderungen"):text.rindex("5 Handlungsbedarf")]
    assert re.search(r"15\.01\.2024 2 Offene Sprechstunde .* neu angelegt → vorgeschlagen "
                     r"Sozialplanung", changes)
    assert "vorgeschlagen → statistisch gestützt" in changes
    assert "Beleg: SGB-II-Quote in % 2022: Mitte/Styrum 23,9 gegenüber stadtweit 17,1" in (
        changes)


def test_a_report_without_data_is_complete_and_says_so():
    content, pages = render_quarterly_pdf(Book().report(Quarter(2019, 2)),
                                          made_on=MADE_ON)
    text = pdf_text(content)
    assert "Zum Stichtag 30.06.2019 gab es keine Handlungsempfehlungen" in text
    assert "Seite 1 von" in text and pages >= 5
    assert "Im Quartal wurden keine Statusänderungen wirksam." in text


def test_a_report_made_before_the_quarter_ends_is_marked_preliminary(report):
    content, _ = render_quarterly_pdf(report, made_on=date(2024, 3, 15))
    assert "Vorläufig: Das 1. Quartal 2024 ist noch nicht abgeschlossen" in pdf_text(content)
    assert "Vorläufig" not in pdf_text(render_quarterly_pdf(report, made_on=MADE_ON)[0])


# ---- page 1, outline, draft marks, metadata, plurals, long titles -------------------
def outline_pages(content: bytes) -> list[tuple[str, int]]:
    """(title, 0-based page of its destination) of every outline entry, in order."""
    import io

    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(content))
    found = []

    def walk(items):
        for item in items:
            if isinstance(item, list):
                walk(item)
            else:
                found.append((item.title, reader.get_destination_page_number(item)))

    walk(reader.outline)
    return found


def test_every_bookmark_and_contents_link_points_to_the_page_of_its_heading(pdf):
    import io

    from pypdf import PdfReader

    content, pages = pdf
    texts = [" ".join(t.split()) for t in pdf_pages(content)]
    entries = outline_pages(content)
    assert len(entries) >= 20
    assert len({page for _, page in entries}) > 3  # not all on one page
    for title, page in entries:
        assert title in texts[page], (title, page + 1)
        if page > 1:  # the heading is on that page, not only in the table of contents
            assert all(title not in texts[other] for other in range(2, page)), title
    reader = PdfReader(io.BytesIO(content))
    number_of = {p.indirect_reference.idnum: i for i, p in enumerate(reader.pages)}
    links = []
    for annotation in reader.pages[1]["/Annots"]:  # the table of contents
        target = number_of[annotation.get_object()["/Dest"][0].idnum]
        if not links or links[-1] != target:
            links.append(target)
    wanted = []
    for _, page in entries:
        if not wanted or wanted[-1] != page:
            wanted.append(page)
    assert links == wanted


def test_the_first_page_lists_what_needs_attention_with_number_title_and_department():
    book = Book()
    for number, dept in ((1, "3-1"), (2, "3-2"), (5, "3-1"), (6, "3-2")):
        book.add(number, "2023-05-10", department=dept, title=f"Angebot Nummer {number}")
        book.move(number, "approved", "2023-06-01", role="department_head", dept=dept)
    book.add(3, "2023-04-01", district="stadtweit", title="Lange unentschieden")
    report = book.report(Q1, light_of=[
        (1, "2023-Q4", "red", "2023-12-10"), (1, "2024-Q1", "red", "2024-03-10"),  # 2 in a row
        (2, "2023-Q4", "green", "2023-12-10"), (2, "2024-Q1", "red", "2024-03-10"),  # newly red
        (5, "2024-Q1", "green", "2024-03-10"),  # 6: no Sachstand
    ], measures=[(31, "Stadtteilbüro Süd", "3-2", "2024-08-31", ()),
                 (32, "Sprachcafé", "3-1", "2024-05-31", (5,)),
                 (33, "Läuft noch lange", "3-1", "2026-12-31", ())])
    assert report.red == (1, 2) and report.newly_red == (2,) and report.red_in_a_row == (1,)
    assert [m.id for m in report.expiring] == [32, 31]
    first = " ".join(pdf_pages(render_quarterly_pdf(report, made_on=MADE_ON)[0])[0].split())
    assert "Auf einen Blick" in first
    assert "Rote Ampel (2) davon neu rot: 1 · zwei oder mehr Quartale in Folge rot: 1" in first
    assert "1 Angebot Nummer 1 3-1 rot seit 2 Quartalen" in first
    assert "2 Angebot Nummer 2 3-2 neu rot in diesem Quartal" in first
    assert "Ohne Sachstand für das 1. Quartal 2024 (1)" in first
    assert "6 Angebot Nummer 6 3-2 keiner" in first
    assert "Seit mehr als zwei Quartalen ohne Entscheidung (1)" in first
    assert "3 Lange unentschieden 3-1 vorgeschlagen, 01.04.2023" in first
    assert "32 Sprachcafé 3-1 31.05.2024; Empfehlung 5" in first
    assert "31 Stadtteilbüro Süd 3-2 31.08.2024; keine Anschluss-Empfehlung" in first
    assert "Läuft noch lange" not in first
    assert "5 Angebot Nummer 5" not in first
    assert "Nachträge zu früheren Berichten" in first
    assert "Bereic h" not in first and "Nr. Titel Bereich" in first  # heads never broken


def test_a_report_that_is_not_published_says_entwurf_on_every_page_and_a_published_one_not(
        report):
    from dataclasses import replace
    from datetime import datetime

    from controlling.services.quarterly import PublicationRow

    draft, pages = render_quarterly_pdf(report, made_on=MADE_ON)
    texts = pdf_pages(draft)
    assert all("Entwurf" in page_text for page_text in texts)
    assert "ENTWURF – NICHT VERÖFFENTLICHT" in texts[0]
    moment = datetime(2024, 4, 5, 9, 30)
    published = replace(report, state="published", publication=PublicationRow(
        "2024-Q1", moment, moment, "planer"))
    final = pdf_pages(render_quarterly_pdf(published, made_on=MADE_ON)[0])
    assert not any("ENTWURF" in page_text for page_text in final)
    assert " ".join(final).count("Entwurf") == 1  # the explanation of the word, not a mark
    assert "Veröffentlicht am 05.04.2024 09:30 UTC durch planer" in " ".join(final[0].split())
    running = pdf_pages(render_quarterly_pdf(report, made_on=date(2024, 3, 15))[0])
    assert "ENTWURF · vorläufiger Stand 15.03.2024" in running[2]


def test_the_pdf_metadata_has_the_real_creation_date_and_only_embedded_fonts(report):
    import io
    from datetime import datetime

    from pypdf import PdfReader

    content, _ = render_quarterly_pdf(report, made_on=MADE_ON)
    assert PdfReader(io.BytesIO(content)).metadata["/CreationDate"].startswith("D:20240405000000")
    stamped, _ = render_quarterly_pdf(report, made_on=MADE_ON,
                                      created_at=datetime(2024, 4, 5, 14, 7, 9))
    assert PdfReader(io.BytesIO(stamped)).metadata["/CreationDate"].startswith("D:20240405140709")
    assert b"Helvetica" not in content  # every font is DejaVu, embedded


@pytest.mark.parametrize("changes, sentence", [
    (0, "Im 1. Quartal 2024 wurden 0 Statusänderungen wirksam."),
    (1, "Im 1. Quartal 2024 wurde 1 Statusänderung wirksam."),
    (2, "Im 1. Quartal 2024 wurden 2 Statusänderungen wirksam."),
])
def test_counts_take_the_german_singular_or_plural(changes, sentence):
    book = Book()
    for number in range(1, 3):
        book.add(number, "2024-01-10" if number <= changes else "2023-10-10")
    text = pdf_text(render_quarterly_pdf(book.report(Q1), made_on=MADE_ON)[0])
    assert sentence in text
    assert re.search(r"(?<![\d.])\b1 (Statusänderungen|Empfehlungen|Handlungsempfehlungen)\b",
                     text) is None


def test_a_title_of_ten_thousand_characters_renders_in_full():
    title = " ".join(f"Wort{n}" for n in range(1, 1700))[:10_000]
    assert len(title) == 10_000
    book = Book()
    book.add(1, "2024-01-10", title=title)
    book.move(1, "approved", "2024-02-01", role="department_head", dept="3-1")
    book.add(2, "2023-04-01", title=title)
    content, pages = render_quarterly_pdf(
        book.report(Q1, light_of=[(1, "2024-Q1", "red", "2024-03-01")]), made_on=MADE_ON)
    # the title's cell runs on over pages beside the row's other cells: every word is there,
    # in districts, departments and attention (and shortened on page 1)
    words = re.findall(r"Wort\d+", pdf_body(content))
    for n in range(1, 1234):
        assert words.count(f"Wort{n}") >= 3, n
    assert pages > 8


def test_column_heads_break_only_where_german_hyphenates():
    book = Book()
    for number in (1, 2):
        book.add(number, "2024-01-10")
    book.move(1, "statistically_supported", "2024-02-01")
    book.move(1, "superseded", "2024-03-01")  # the sixth column
    text = pdf_text(render_quarterly_pdf(book.report(Q1), made_on=MADE_ON)[0])
    matrix = text[text.rindex("1.3 Übersicht nach Sozialraum"):text.rindex("1.4 Übersicht")]
    assert "statis- tisch gestützt" in matrix and "ersetzt" in matrix
    for broken in ("statisc h", "umgesetz t", "abgelehn t", "statistisc h"):
        assert broken not in text


def test_the_lights_differ_in_greyscale_and_keep_their_word():
    from controlling.reports import styles

    def grey(colour) -> float:
        return 0.299 * colour.red + 0.587 * colour.green + 0.114 * colour.blue

    def luminance(colour) -> float:
        def channel(c):
            return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4
        return (0.2126 * channel(colour.red) + 0.7152 * channel(colour.green)
                + 0.0722 * channel(colour.blue))

    def contrast(a, b) -> float:
        high, low = sorted((luminance(a), luminance(b)), reverse=True)
        return (high + 0.05) / (low + 0.05)

    bars = styles.LIGHT_COLOURS
    assert abs(grey(bars["green"]) - grey(bars["red"])) > 0.15
    fills = styles.LIGHT_FILLS
    assert grey(fills["red"]) < 0.35 < 0.75 < grey(fills["green"])
    sheet = styles.stylesheet()
    for light, fill in fills.items():
        ink = sheet[styles.LIGHT_CELL_STYLES[light]].textColor
        assert contrast(ink, fill) >= 4.5, light
    words = pdf_text(render_quarterly_pdf(Book().report(Q1), made_on=MADE_ON)[0])
    assert "grün 0" in words and "rot 0" in words and "ohne Sachstand 0" in words


def test_a_table_continued_on_the_next_page_repeats_its_heads_and_names_its_district():
    book = Book()
    for number in range(1, 41):
        book.add(number, "2023-05-10", district="Mitte/Styrum", department="3-2",
                 title=f"Empfehlung Nummer {number} für Styrum")
        book.move(number, "approved", "2023-06-01", role="department_head", dept="3-2")
    report = book.report(Q1, light_of=[(n, "2024-Q1", "green", "2024-03-20",
                                        "Läuft nach Plan; die Räume sind gefunden.")
                                       for n in range(1, 41)])
    pages = [" ".join(page.split()) for page in pdf_pages(
        render_quarterly_pdf(report, made_on=MADE_ON)[0])]
    districts = [p for p in pages if "Ampeln:" in p]  # chapter 2: with the rows of lights
    assert len(districts) >= 3  # chapter 2 runs over several pages
    for page in districts[1:]:
        top = page[page.index("ENTWURF · Stand 31.03.2024") + 26:][:80].strip()
        assert top.startswith("Mitte/Styrum (Fortsetzung) Nr. Titel Bereich Status Ampel"), top
    departments = [p for p in pages if "Bereich 3-2 Soziales (Fortsetzung)" in p]
    assert departments, "the department's table runs over a page and says whose it is"
    for page in departments:
        assert "Bereich 3-2 Soziales (Fortsetzung) Nr. Titel Sozialraum Status Ampel" in page
    assert not any("Osterfeld (Fortsetzung)" in p for p in pages)


def test_laying_out_names_every_page_to_whoever_follows_the_progress(report):
    from controlling.reports.base import page_progress

    seen: list[tuple[int, int]] = []
    token = page_progress.set(lambda layout_pass, page: seen.append((layout_pass, page)))
    try:
        _pdf, pages = render_quarterly_pdf(report, made_on=MADE_ON)
    finally:
        page_progress.reset(token)
    last_pass = max(p for p, _ in seen)
    assert [page for p, page in seen if p == last_pass] == list(range(1, pages + 1))
    assert [page for p, page in seen if p == 1][:2] == [1, 2]
