"""The PDF of the quarterly report, rendered from plain data (no database) and read back."""

import re
from datetime import date

import pytest

from controlling.domain.dates import Quarter
from controlling.domain.reference import PUBLISHER
from reports.quarterly import render_quarterly_pdf
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
              "5.3 Seit mehr als zwei Quartalen ohne Entscheidung", "6 Erläuterungen"]
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
    attention = text[text.rindex("5 Handlungsbedarf"):text.rindex("6 Erläuterungen")]
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
