"""The city-wide view for the Sozialkonferenz, rendered from plain data and read back."""

from datetime import date

import pytest

from reports.city_report import render_city_report_pdf
from tests.paper_builders import city_data, missing_in, paper_body
from tests.report_builders import pdf_pages, pdf_text

MADE_ON = date(2025, 4, 7)


@pytest.fixture(scope="module")
def data():
    return city_data()


@pytest.fixture(scope="module")
def pdf(data):
    return render_city_report_pdf(data, made_on=MADE_ON)


def test_the_title_page_names_the_conference_and_the_as_of_date(pdf):
    first = " ".join(pdf_pages(pdf[0])[0].split())
    assert "Sozialkonferenz" in first and "Stadtweiter Überblick" in first
    assert "Alle Sozialräume im Vergleich" in first and "Stand: 07.04.2025" in first


def test_every_page_says_which_page_of_how_many_it_is(pdf):
    content, pages = pdf
    for number, page_text in enumerate(pdf_pages(content), start=1):
        assert f"Seite {number} von {pages}" in page_text


def test_every_section_is_in_the_table_of_contents(pdf):
    contents = " ".join(pdf_pages(pdf[0])[1].split())
    for title in ("1 Empfehlungen nach Sozialraum und Status", "2 Ampeln je Sozialraum",
                  "3 Sozialräume im Vergleich der Indikatoren", "3.1 SGB-II-Quote in %",
                  "3.2 Übergangsquote Gymnasium in %", "4 Wenig bekannte Angebote",
                  "5 Erläuterungen"):
        assert title in contents


def test_all_districts_stand_side_by_side_with_their_recommendations_per_status(pdf):
    text = pdf_text(pdf[0])
    table = text[text.rindex("1 Empfehlungen nach Sozialraum"):text.rindex("2 Ampeln")]
    for row in ("Mitte/Styrum 0 0 3 2 0 1 6", "Alstaden/Lirich 0 0 0 0 0 0 0",
                "Osterfeld 1 1 2 0 1 0 5", "stadtweit 1 0 0 0 0 0 1",
                "insgesamt 2 1 5 2 1 1 12"):
        assert row in table
    assert "ersetzt" in table  # the status of issue 6 has its column


def test_the_lights_per_district_count_the_quarters_sachstand_and_the_older_ones_apart(pdf):
    text = pdf_text(pdf[0])
    lights = text[text.rindex("2 Ampeln je Sozialraum"):text.rindex("3 Sozialräume im")]
    assert "Ampel ihres Sachstands für das 1. Quartal 2025, das letzte am Stichtag" in lights
    assert "grün gelb rot ohne Sachstand davon älter freigegeben" in lights
    assert "Mitte/Styrum 2 1 0 0 0 3" in lights and "Osterfeld 0 0 1 1 1 2" in lights
    assert "insgesamt 2 1 1 1 1 5" in lights


def test_the_districts_are_ranked_worst_first_and_equal_values_share_a_rank(pdf):
    text = pdf_text(pdf[0])
    higher = text[text.rindex("3.1 SGB-II-Quote"):text.rindex("3.2 Übergangsquote")]
    assert "Indikator sgb2_quote · höher ist schlechter · Jahr 2024 · stadtweit 16,9" in higher
    assert ("1. Mitte/Styrum 23,5 +6,6 schlechter als stadtweit 2. Alstaden/Lirich 20,7 +3,8 "
            "schlechter als stadtweit 2. Osterfeld 20,7 +3,8 schlechter als stadtweit "
            "4. Sterkrade-Nord 9,9 −7,0 besser als stadtweit stadtweit (Vergleich) 16,9") in higher
    assert "Ohne Wert 2024: Oberhausen-Ost, Sterkrade-Mitte." in higher
    lower = text[text.rindex("3.2 Übergangsquote"):text.rindex("3.3 Noch ohne Werte")]
    assert ("1. Mitte/Styrum 28,000 −8,500 schlechter als stadtweit 2. Osterfeld 31,250 "
            "−5,250 schlechter als stadtweit 3. Sterkrade-Nord 47,125 +10,625 besser als "
            "stadtweit stadtweit (Vergleich) 36,500") in lower  # one number of decimals a column


def test_the_least_known_offers_come_first_with_their_share_known(pdf):
    text = pdf_text(pdf[0])
    offers = text[text.rindex("4 Wenig bekannte Angebote"):text.rindex("5 Erläuterungen")]
    assert "12 Quartiersbüro für Ältere 3-2 1 3 9 25,0 %" in offers
    assert offers.index("Quartiersbüro") < offers.index("Sportabzeichen") < offers.index(
        "Stadtteilzeitung")
    assert "7 Sportabzeichen-Treff für Familien 2-5 2 14 7 66,7 %" in offers


def test_every_figure_of_the_data_appears_in_the_pdf(data, pdf):
    assert missing_in(data, paper_body(pdf[0])) == []


def test_the_same_data_gives_the_same_bytes(data, pdf):
    assert render_city_report_pdf(data, made_on=MADE_ON)[0] == pdf[0]


def test_a_city_without_any_data_gives_a_valid_report_that_says_so():
    names = ["Osterfeld", "stadtweit"]
    zero = dict.fromkeys(("proposed", "statistically_supported", "approved", "implemented",
                          "rejected", "superseded"), 0)
    lights = dict.fromkeys(("green", "yellow", "red", "none"), 0)
    empty = {"as_of": "2025-04-07", "districts": names, "totals": zero, "total": 0,
             "by_district": {n: dict(zero) for n in names},
             "lights": {n: dict(lights) for n in names}, "light_totals": lights,
             "light_quarter": "2025-Q1", "older_progress": dict.fromkeys(names, 0),
             "older_progress_total": 0, "rankings": [], "least_known": [], "departments": {},
             "example": False}
    content, pages = render_city_report_pdf(empty, made_on=MADE_ON)
    text = pdf_text(content)
    assert f"Seite {pages} von {pages}" in text
    for sentence in ("Es sind noch keine Handlungsempfehlungen erfasst.",
                     "Keine Empfehlung ist freigegeben.",
                     "Es sind noch keine Indikatoren eingelesen",
                     "Es sind keine Abfragen zur Bekanntheit von Angeboten erfasst."):
        assert sentence in text
