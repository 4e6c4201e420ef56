"""The strategy paper of a district, rendered from plain data (no database) and read back."""

import re
from datetime import date

import pytest
from controlling.reports.strategy_paper import render_strategy_paper_pdf

from controlling.domain.reference import PUBLISHER
from tests.paper_builders import (
    LONG,
    index_data,
    missing_in,
    paper_body,
    recommendation,
    strategy_data,
)
from tests.report_builders import pdf_pages, pdf_text, squeeze

MADE_ON = date(2025, 4, 7)


@pytest.fixture(scope="module")
def data():
    return strategy_data()


@pytest.fixture(scope="module")
def pdf(data):
    return render_strategy_paper_pdf(data, made_on=MADE_ON)


def test_the_title_page_names_the_district_the_publisher_and_the_date_made(pdf):
    first = " ".join(pdf_pages(pdf[0])[0].split())
    assert "Strategiepapier Sozialraum Osterfeld" in first
    assert "Stand: 07.04.2025" in first
    assert " ".join(PUBLISHER.split()) in first
    assert "Erstellt am 07.04.2025" in first
    assert "Beispieldaten" not in first


def test_every_page_says_which_page_of_how_many_it_is(pdf):
    content, pages = pdf
    texts = pdf_pages(content)
    assert len(texts) == pages > 5
    for number, page_text in enumerate(texts, start=1):
        assert f"Seite {number} von {pages}" in page_text


def test_every_section_is_in_the_text_and_in_the_table_of_contents(pdf):
    text = pdf_text(pdf[0])
    contents = " ".join(pdf_pages(pdf[0])[1].split())
    for title in ("1 Überblick", "2 Sozialraumanalyse", "2.1 SGB-II-Quote in %",
                  "2.2 Übergangsquote Gymnasium in %", "2.3 Noch ohne Werte",
                  "2.4 Sozialindex der Sozialquartiere",
                  "3 Bestand an Maßnahmen", "3.1 Maßnahmen im Sozialraum Osterfeld",
                  "3.2 Stadtweite Maßnahmen", "4 Handlungsempfehlungen",
                  "4.1 Empfehlungen für Osterfeld", "4.2 Stadtweite Empfehlungen",
                  "5 Bekanntheit der Angebote", "5.1 Übersicht",
                  "5.2 Verlauf über die Veranstaltungen", "5.3 Ideen aus den Kartenabfragen",
                  "6 Erläuterungen"):
        assert title in contents, f"{title} fehlt im Inhaltsverzeichnis"
        assert text.count(title) >= 2, title


def test_each_indicator_shows_district_and_city_over_the_years_with_its_direction(pdf):
    text = pdf_text(pdf[0])
    analysis = text[text.rindex("2 Sozialraumanalyse"):text.rindex("3 Bestand an Maßnahmen")]
    assert "Indikator sgb2_quote · höher ist schlechter" in analysis
    assert ("2024: Osterfeld 20,7 gegenüber stadtweit 16,9, Abstand +3,8: schlechter als "
            "stadtweit.") in analysis
    for row in ("2020 21,0 17,8 +3,2 schlechter als stadtweit",  # one decimal per column
                "2022 20,4 17,1 +3,3 schlechter als stadtweit",
                "2024 20,7 16,9 +3,8 schlechter als stadtweit"):
        assert row in analysis
    # lower is worse: 31,25 below 36,5 is worse; a year without the district's value shows –
    assert "Indikator abitur_quote · niedriger ist schlechter" in analysis
    assert "2021 – 38,0 – –" in analysis
    assert "2022 31,25 36,5 −5,25 schlechter als stadtweit" in analysis
    assert "Für diesen Indikator liegen weder Werte des Sozialraums noch der Stadt vor." in (
        analysis)


def test_the_inventory_lists_own_and_city_wide_measures_with_their_facts(pdf):
    text = pdf_text(pdf[0])
    inventory = text[text.rindex("3 Bestand an Maßnahmen"):text.rindex("4 Handlungsempf")]
    own = inventory[:inventory.index("3.2 Stadtweite Maßnahmen")]
    city = inventory[inventory.index("3.2 Stadtweite Maßnahmen"):]
    assert "3 Offener Jugendtreff „Knappenhaus“ 3-2 unbefristet" in own
    assert "4 Seniorenfrühstück 3-2 31.12.2026" in own
    assert "Sozialräume: Osterfeld, Sterkrade-Mitte" in own
    assert "Zielgruppe: Seniorinnen und Senioren" in own and "Umsetzungsstand: läuft" in own
    assert "9 Schuldnerberatung der Stadt 3-2 31.12.2024 (abgelaufen)" in city
    assert "Umsetzungsstand: nicht angegeben" in city
    assert "10 Ehrenamtsbörse 3-2 unbefristet" in city


def test_the_recommendations_show_status_kind_department_light_and_latest_sachstand(pdf):
    text = pdf_text(pdf[0])
    recs = text[text.rindex("4 Handlungsempfehlungen"):text.rindex("5 Bekanntheit")]
    assert ("5 Empfehlungen: 1 statistisch gestützt, 2 freigegeben, 1 abgelehnt, 1 ersetzt."
            in recs)
    assert ("7 Sprachcafé verlängern 3-1 Verlängerung ersetzt durch Nr. 9 – Thema: Jugend "
            "Status: "
            "vorgeschlagen am 15.01.2024; ersetzt seit 01.03.2024: Verstetigung statt "
            "Verlängerung – weiter verfolgt als Empfehlung Nr. 9") in recs
    assert "1 Jugendtreff im Quartier öffnen 3-1 neu freigegeben rot" in recs
    assert "Sachstand (1. Quartal 2025, wirksam 20.03.2025, Ampel rot): Satz 1:" in recs
    assert "Letzter Sachstand" not in recs  # the 2025-Q1 one is current on 07.04.2025
    assert "freigegeben seit 01.03.2024: Freigabe nach Abstimmung mit 3-3" in recs
    assert "Maßnahmen: Nr. 3 Offener Jugendtreff „Knappenhaus“" in recs
    assert "2 Beratung für Ältere ausbauen 3-2 neu statistisch gestützt –" in recs
    assert "5 Grünflächen öffnen 2-5 neu abgelehnt" in recs
    assert "abgelehnt seit 01.03.2024: statistisch nicht gestützt" in recs
    assert "6 Sprachförderung verlängern 3-1 Verlängerung freigegeben ohne" in recs
    assert "Noch kein Sachstand erfasst." in recs
    city = recs[recs.index("4.2 Stadtweite Empfehlungen"):]
    assert "8 Übersicht der Ehrenämter im Sozialnavigator 3-2 neu vorgeschlagen" in city


def test_the_awareness_section_shows_dots_trend_and_ideas_least_known_first(pdf):
    text = pdf_text(pdf[0])
    section = text[text.rindex("5 Bekanntheit der Angebote"):text.rindex("6 Erläuterungen")]
    overview = section[:section.index("5.2 Verlauf")]
    assert re.search(r"12 Quartiersbüro für Ältere 3-2 3 9 25,0 %.*7 Sportabzeichen-Treff "
                     r"für Familien 2-5 14 7 66,7 %.*15 Stadtteilzeitung 3-2 0 0 –", overview)
    trend = section[section.index("5.2 Verlauf"):section.index("5.3 Ideen")]
    assert "10.11.2021 4 5 44,4 %" in trend and "28.09.2023 10 2 83,3 %" in trend
    ideas = section[section.index("5.3 Ideen"):]
    assert ("Wie kann das Angebot bekannter gemacht werden? • Aushang in Arztpraxen und "
            "Apotheken (Expert*innendialog Osterfeld 2023)") in ideas
    assert "Woher kennen Sie uns? • Über die Kirchengemeinde" in ideas


def test_long_texts_wrap_over_pages_and_are_never_cut(pdf):
    body = squeeze(paper_body(pdf[0]))
    assert body.count(squeeze(LONG)) == 2  # a measure's description and a Sachstand


def test_every_figure_of_the_data_appears_in_the_pdf(data, pdf):
    assert missing_in(data, paper_body(pdf[0])) == []


def test_the_same_data_gives_the_same_bytes(data, pdf):
    again, _ = render_strategy_paper_pdf(data, made_on=MADE_ON)
    assert again == pdf[0]
    other_day, _ = render_strategy_paper_pdf(data, made_on=date(2025, 4, 8))
    assert other_day != pdf[0]


def test_example_data_is_marked_as_such():
    content, _ = render_strategy_paper_pdf(strategy_data(example=True), made_on=MADE_ON)
    text = pdf_text(content)
    assert "Enthält Beispieldaten" in text
    assert "[Beispiel] Seniorenfrühstück" in text


def test_a_district_without_any_data_gives_a_valid_paper_that_says_so():
    empty = {"district": "Sterkrade-Nord", "as_of": "2025-04-07", "light_quarter": "2025-Q1",
             "indicators": [],
             "measures": {"district": [], "citywide": []},
             "totals": dict.fromkeys(("proposed", "approved"), 0), "recommendations": [],
             "citywide_totals": {}, "citywide_recommendations": [], "awareness": [],
             "sozialindex": None, "departments": {}, "example": False}
    content, pages = render_strategy_paper_pdf(empty, made_on=MADE_ON, publisher="Stadt X")
    text = pdf_text(content)
    assert f"Seite {pages} von {pages}" in text and "Stadt X" in text
    for sentence in ("Es sind noch keine Indikatoren eingelesen",
                     "Für den Sozialraum sind keine eigenen Maßnahmen erfasst.",
                     "Für den Sozialraum sind keine Empfehlungen erfasst.",
                     "Für diesen Sozialraum sind keine Abfragen zur Bekanntheit"):
        assert sentence in text


def test_an_older_sachstand_shows_its_quarter_and_says_older_never_the_quarters_light():
    data = strategy_data()
    data["recommendations"][0] = recommendation(
        1, "Jugendtreff im Quartier öffnen", "approved", light_quarter="2025-Q1",
        progress={"quarter": "2024-Q3", "light": "green", "note": "Räume gefunden.",
                  "effective_on": "2024-09-20"})
    text = pdf_text(render_strategy_paper_pdf(data, made_on=MADE_ON)[0])
    recs = text[text.rindex("4 Handlungsempfehlungen"):text.rindex("5 Bekanntheit")]
    assert "1 Jugendtreff im Quartier öffnen 3-1 neu freigegeben grün (Q3/2024, älter)" in recs
    assert ("Letzter Sachstand (3. Quartal 2024, wirksam 20.09.2024, Ampel grün; älter: für "
            "das 1. Quartal 2025 liegt keiner vor): Räume gefunden.") in recs
    notes = text[text.rindex("6 Erläuterungen"):]
    assert "Sachstands für das 1. Quartal 2025, das letzte am Stichtag abgeschlossene" in notes


def test_recommendations_continued_on_the_next_page_repeat_the_heads_and_the_section():
    data = strategy_data()
    data["recommendations"] = [
        recommendation(number, f"Empfehlung {number} für Osterfeld", "approved",
                       progress={"quarter": "2025-Q1", "light": "green",
                                 "note": "Läuft nach Plan. " * 12,
                                 "effective_on": "2025-03-20"})
        for number in range(1, 31)]
    pages = [" ".join(page.split()) for page in pdf_pages(
        render_strategy_paper_pdf(data, made_on=MADE_ON)[0])]
    continued = [p for p in pages if "Empfehlungen für Osterfeld (Fortsetzung)" in p]
    assert len(continued) >= 2
    for page in continued:
        assert ("Stand 07.04.2025 Empfehlungen für Osterfeld (Fortsetzung) Nr. Titel Bereich "
                "Art Status Ampel") in page


def test_the_title_page_says_herausgeberin_as_the_city_writes_it(pdf):
    first = " ".join(pdf_pages(pdf[0])[0].split())
    assert "Herausgeberin" in first


# ---- the Sozialindex of the district's Sozialquartiere ------------------------------
def quarters_section(content: bytes) -> str:
    text = pdf_text(content)
    return text[text.rindex("2.4 Sozialindex der Sozialquartiere"):
                text.rindex("3 Bestand an Maßnahmen")]


def test_the_analysis_ranks_the_districts_quarters_with_their_classes_and_computation(pdf):
    section = quarters_section(pdf[0])
    assert ("Sozialindex-Berechnung Nr. 4 · Methode z-mean-1 · Jahr 2024 · Dynamik "
            "2022–2024 · 9 Sozialquartiere in der Stadt · Indikatoren: SGB-II-Quote in % "
            "(sgb2_quote, höher ist schlechter); Alleinerziehende in % (alleinerziehende, "
            "höher ist schlechter)") in section
    assert ("Rang Sozialquartier Statusindex Status Dynamikindex Dynamik "
            "2. Osterfeld-Mitte +1,21 niedrig +1,35 negativ "
            "4. Vondern +0,35 mittel −1,12 positiv "
            "6. Klosterhardt −0,41 mittel +0,90 stabil") in section
    assert "Styrum-Süd" not in section  # another district's quarter


def test_the_chart_draws_the_status_index_of_each_quarter_in_rank_order(pdf):
    section = quarters_section(pdf[0])
    chart = section[section.index("6. Klosterhardt −0,41 mittel +0,90 stabil") + 1:]
    assert re.search(r"2\. Osterfeld-Mitte.*4\. Vondern.*6\. Klosterhardt", chart)
    assert "+1,21 niedrig" in chart and "−0,41 mittel" in chart
    assert ("Statusindex 2024 der Sozialquartiere in Osterfeld, Rang 1 oben; 0 = "
            "Durchschnitt der Stadt") in chart


def test_without_a_computed_index_the_paper_says_so_and_how_to_compute_one():
    data = strategy_data()
    data["sozialindex"] = None
    section = quarters_section(render_strategy_paper_pdf(data, made_on=MADE_ON)[0])
    assert ("Für die Sozialquartiere ist noch kein Sozialindex berechnet (berechnen mit "
            "„controlling index compute“).") in section
    assert "Rang" not in section


def test_a_computation_without_the_districts_quarters_says_so():
    data = strategy_data()
    data["sozialindex"] = index_data("Oberhausen-Ost")  # none of the nine lies there
    section = quarters_section(render_strategy_paper_pdf(data, made_on=MADE_ON)[0])
    assert "Sozialindex-Berechnung Nr. 4" in section
    assert "In dieser Berechnung liegt kein Sozialquartier im Sozialraum Osterfeld." in section
