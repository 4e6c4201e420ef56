"""The city-wide view for the Sozialkonferenz, rendered from plain data and read back."""

import re
from datetime import date

import pytest
from controlling.reports.city_report import render_city_report_pdf

from controlling.services.city_report import ranking
from tests.paper_builders import city_data, index_data, many_quarters, missing_in, paper_body
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
                  "3.2 Übergangsquote Gymnasium in %", "4 Sozialquartiere im Sozialindex",
                  "5 Wenig bekannte Angebote", "6 Erläuterungen"):
        assert title in contents


def test_all_districts_stand_side_by_side_with_their_recommendations_per_status(pdf):
    text = pdf_text(pdf[0])
    table = text[text.rindex("1 Empfehlungen nach Sozialraum"):text.rindex("2 Ampeln")]
    for row in ("Mitte/Styrum 0 0 3 2 0 1 6", "Alstaden/Lirich 0 0 0 0 0 0 0",
                "Osterfeld 1 1 2 0 1 0 5", "stadtweit 1 0 0 0 0 0 1",
                "insgesamt 2 1 5 2 1 1 12"):
        assert row in table
    assert "ersetzt" in table  # the status 'ersetzt' has its column


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
    offers = text[text.rindex("5 Wenig bekannte Angebote"):text.rindex("6 Erläuterungen")]
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
             "older_progress_total": 0, "rankings": [], "least_known": [], "sozialindex": None,
             "departments": {}, "example": False}
    content, pages = render_city_report_pdf(empty, made_on=MADE_ON)
    text = pdf_text(content)
    assert f"Seite {pages} von {pages}" in text
    for sentence in ("Es sind noch keine Handlungsempfehlungen erfasst.",
                     "Keine Empfehlung ist freigegeben.",
                     "Es sind noch keine Indikatoren eingelesen",
                     "Es sind keine Abfragen zur Bekanntheit von Angeboten erfasst.",
                     "Für die Sozialquartiere ist noch kein Sozialindex berechnet (berechnen "
                     "mit „controlling index compute“)."):
        assert sentence in text


# ---- the Sozialquartiere ranked by the Sozialindex ----------------------------------
def test_the_sozialquartiere_are_ranked_with_their_district_index_and_classes(pdf):
    text = pdf_text(pdf[0])
    section = text[text.rindex("4 Sozialquartiere im Sozialindex"):
                   text.rindex("5 Wenig bekannte Angebote")]
    assert ("Sozialindex-Berechnung Nr. 4 · Methode z-mean-1 · Jahr 2024 · Dynamik 2022–2024 "
            "· 9 Sozialquartiere in der Stadt") in section
    assert ("Rang Sozialquartier Sozialraum Statusindex Status Dynamikindex Dynamik "
            "1. Styrum-Süd Mitte/Styrum +1,62 sehr niedrig +0,48 stabil "
            "2. Osterfeld-Mitte Osterfeld +1,21 niedrig +1,35 negativ") in section
    assert "5. Lirich-Nord Alstaden/Lirich +0,02 mittel 0,00 stabil" in section
    assert "9. Alsfeld Sterkrade-Mitte −1,52 hoch −0,57 stabil" in section
    assert "Statusindex 2024 der Sozialquartiere, Rang 1 oben; 0 = Durchschnitt" in section


def test_a_long_list_of_quarters_runs_on_over_pages_with_its_heads_and_never_overflows():
    data = city_data()
    data["sozialindex"] = index_data(quarters=many_quarters(75))
    content, _ = render_city_report_pdf(data, made_on=MADE_ON)
    pages = [" ".join(page.split()) for page in pdf_pages(content)]
    continued = [p for p in pages if "Sozialquartiere im Sozialindex (Fortsetzung)" in p]
    assert continued
    for page in continued:
        assert ("Sozialquartiere im Sozialindex (Fortsetzung) Rang Sozialquartier Sozialraum "
                "Statusindex Status Dynamikindex Dynamik") in page
    text = " ".join(pages)
    section = text[text.rindex("4 Sozialquartiere im Sozialindex"):
                   text.rindex("5 Wenig bekannte Angebote")]
    rows = re.findall(r"(\d+)\. Quartier (\d{3}) \S+ [+−]?\d,\d\d (?:sehr niedrig|niedrig|"
                      r"mittel|hoch)", section)
    assert [int(rank) for rank, _ in rows] == list(range(1, 76))
    assert all(int(rank) == int(name) for rank, name in rows)
    for part in (1, 2, 3):  # 75 bars in three charts of at most 30 on one scale
        assert f"0 = Durchschnitt der Stadt (Teil {part} von 3)" in section
    assert missing_in(data, paper_body(content)) == []


def a_city_of(count: int) -> dict:
    """The city report of `count` Sozialräume, each with recommendations, lights and values."""
    names = [f"Sozialraum {n:03d}" for n in range(1, count + 1)]
    statuses = ("proposed", "statistically_supported", "approved", "implemented", "rejected",
                "superseded")
    by_district = {name: {s: (n + i) % 4 for i, s in enumerate(statuses)}
                   for n, name in enumerate(names)}
    lights = {name: {"green": n % 3, "yellow": 1, "red": n % 2, "none": 0}
              for n, name in enumerate(names)}
    data = city_data()
    indicator = {"code": "sgb2_quote", "label": "SGB-II-Quote in %", "higher_is_worse": True,
                 "values": {**{name: {2024: 5 + n * 0.1} for n, name in enumerate(names)},
                            "stadtweit": {2024: 17.0}}}
    data.update(districts=names, by_district=by_district, lights=lights,
                totals={s: sum(c[s] for c in by_district.values()) for s in statuses},
                light_totals={k: sum(v[k] for v in lights.values()) for k in lights[names[0]]},
                older_progress=dict.fromkeys(names, 0),
                rankings=[ranking(indicator, names)])
    data["total"] = sum(data["totals"].values())
    return data


@pytest.mark.parametrize("count", [42, 400])
def test_a_city_of_many_districts_gets_its_charts_in_parts_that_fit_the_page(count):
    content, pages = render_city_report_pdf(a_city_of(count), made_on=MADE_ON)
    text = pdf_text(content)
    parts = -(-count // 30)
    assert f"Abbildung 1: Empfehlungen je Sozialraum nach Status (Teil {parts} von {parts})" \
        in " ".join(text.split())
    assert "Sozialraum 001" in text and f"Sozialraum {count:03d}" in text
    assert pages == len(pdf_pages(content))


def test_a_part_taller_than_a_page_is_refused_in_german_not_with_reportlabs_error():
    from controlling.reports.city_report import CityReportRenderer
    from reportlab.graphics.shapes import Drawing

    from controlling.domain.errors import DomainError

    class Oversized(CityReportRenderer):
        def _get_story(self, doc):
            return [Drawing(100, 5000)]

    with pytest.raises(DomainError, match="lässt sich nicht setzen"):
        Oversized(city_data(), made_on=MADE_ON).render()
