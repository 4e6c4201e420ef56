"""Institutions for the Sozialnavigator: recorded, linked to measures, imported all or
nothing, and exported as GeoJSON (RFC 7946, longitude first); on SQLite and PostgreSQL."""

import json

import pytest

from tests.instruments_support import measure, ok, snapshot_of

OFFICE = ("institution", "add", "Stadtteilbüro Osterfeld", "--type", "stadtteilbüro",
          "--address", "Gildenstraße 1, 46117 Oberhausen", "--lon", "6,8812", "--lat",
          "51.5034", "--district", "Osterfeld")


@pytest.fixture
def places(cli, people, uow):
    cli.measures = [measure(uow, "Familienbüro", "3-1", ["Osterfeld"]),
                    measure(uow, "Sportangebote", "2-5", ["stadtweit"])]
    ok(cli(*OFFICE, user="planer"))
    ok(cli("institution", "add", "SV Sterkrade 1920", "--type", "Sportverein", "--address",
           "Am Sportplatz 3, 46145 Oberhausen", "--lon", "6.8579", "--lat", "51.5312",
           user="planer"))
    ok(cli("institution", "link", 1, "--measure", cli.measures[0], user="planer"))
    ok(cli("institution", "link", 2, "--measure", cli.measures[1], user="admin"))
    ok(cli("institution", "link", 1, "--measure", cli.measures[1], user="admin"))
    return cli


def test_an_institution_is_listed_with_its_type_coordinates_and_measures(places):
    listed = json.loads(ok(places("institution", "list", "--format", "json",
                                  user="ausschuss")).stdout)
    office = next(i for i in listed if i["id"] == 1)
    assert office == {
        "id": 1, "name": "Stadtteilbüro Osterfeld", "type": "Stadtteilbüro",
        "address": "Gildenstraße 1, 46117 Oberhausen", "district": "Osterfeld",
        "longitude": 6.8812, "latitude": 51.5034,
        "measures": [{"id": places.measures[0], "title": "Familienbüro", "department": "3-1"},
                     {"id": places.measures[1], "title": "Sportangebote",
                      "department": "2-5"}]}
    assert [i["name"] for i in json.loads(ok(places(
        "institution", "list", "--type", "sportverein", "--format", "json")).stdout)] == [
        "SV Sterkrade 1920"]
    assert "6,8812" in ok(places("institution", "list", "--district", "Osterfeld")).stdout


def test_the_geojson_is_a_feature_collection_with_longitude_first(places, tmp_path):
    out = tmp_path / "sozialnavigator.geojson"
    result = ok(places("export", "geojson", "--out", out, user="ausschuss"))
    assert result.stdout.strip() == f"2 Institutionen nach {out} geschrieben (GeoJSON)."
    data = json.loads(out.read_text(encoding="utf-8"))
    assert set(data) == {"type", "features"} and data["type"] == "FeatureCollection"
    assert [f["id"] for f in data["features"]] == [1, 2]
    for feature in data["features"]:
        assert set(feature) == {"type", "id", "geometry", "properties"}
        assert feature["type"] == "Feature" and feature["geometry"]["type"] == "Point"
        lon, lat = feature["geometry"]["coordinates"]
        assert -180 <= lon <= 180 and -90 <= lat <= 90
        assert 6 < lon < 7 and 51 < lat < 52  # Oberhausen: longitude first
    office, club = data["features"]
    assert office["geometry"]["coordinates"] == [6.8812, 51.5034]
    assert club["geometry"]["coordinates"] == [6.8579, 51.5312]
    assert office["properties"]["name"] == "Stadtteilbüro Osterfeld"
    assert [(m["title"], m["department"]) for m in office["properties"]["measures"]] == [
        ("Familienbüro", "3-1"), ("Sportangebote", "2-5")]
    assert club["properties"]["district"] is None
    assert json.loads(ok(places("export", "geojson")).stdout) == data  # standard output: JSON


def test_an_import_is_all_or_nothing_and_links_the_measures(places, tmp_path):
    m1, m2 = places.measures
    bad = tmp_path / "navigator.csv"
    bad.write_text(
        "name,type,address,longitude,latitude,district,measures\n"
        f"Kita Sonnenschein,Kita,Weg 2,6.85,51.47,Alstaden/Lirich,{m1};{m2}\n"
        "Kita Sonnenschein,Kita,weg 2,6.85,51.47,,\n"
        "Stadtteilbüro Osterfeld,Stadtteilbüro,\"Gildenstraße 1, 46117 Oberhausen\",6.9,51.5,,\n"
        "Jugendzentrum,Jugendzentrum,Platz 1,51.47,96.85,,\n"
        "Beratung,,Platz 2,6.8,51.4,Atlantis,999\n", encoding="utf-8")
    before = snapshot_of(places)
    result = places("institution", "import", bad, user="planer")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert "(6 Probleme)" in lines[0]
    assert [line.split(":")[0].strip() for line in lines[1:]] == [
        "Zeile 3", "Zeile 4", "Zeile 5", "Zeile 6", "Zeile 6", "Zeile 6"]
    assert "schon in Zeile 2" in lines[1] and "gibt es bereits" in lines[2]
    assert "Breitengrad 96.85 liegt nicht zwischen -90 und 90" in lines[3]
    assert "Typ der Institution fehlt" in lines[4]
    assert "unbekannter Sozialraum 'Atlantis'" in lines[5]
    assert "unbekannte Maßnahme 999" in lines[6]
    assert snapshot_of(places) == before
    good = tmp_path / "gut.csv"
    good.write_text("name,type,address,longitude,latitude,district,measures\n"
                    f"Kita Sonnenschein,kita,Weg 2,6.85,51.47,Alstaden/Lirich,{m1}|{m2}\n",
                    encoding="utf-8")
    result = ok(places("institution", "import", good, user="planer"))
    assert "1 Institutionen aus gut.csv eingelesen, 2 Verknüpfungen" in result.stdout
    listed = json.loads(ok(places("institution", "list", "--district", "Alstaden/Lirich",
                                  "--format", "json")).stdout)
    assert [(i["type"], len(i["measures"])) for i in listed] == [("Kita", 2)]


@pytest.mark.parametrize(("args", "user", "phrase"), [
    (OFFICE, "planer", "gibt es bereits"),
    (("institution", "add", "X", "--type", "Kita", "--address", "A", "--lon", "181", "--lat",
      "51"), "planer", "Längengrad 181 liegt nicht zwischen -180 und 180"),
    (("institution", "add", "X", "--type", "Kita", "--address", "A", "--lon", "6", "--lat",
      "ost"), "planer", "Breitengrad 'ost' ist keine Zahl"),
    (("institution", "add", "X", "--type", "Kita", "--address", " ", "--lon", "6", "--lat",
      "51"), "planer", "Die Adresse fehlt"),
    (("institution", "add", "X", "--type", "Kita", "--address", "A", "--lon", "6", "--lat",
      "51", "--district", "Atlantis"), "planer", "Unbekannter Sozialraum 'Atlantis'"),
    (("institution", "add", "X", "--type", "Kita", "--address", "A", "--lon", "6", "--lat",
      "51"), "bl31", "Keine Berechtigung: bl31 (Bereichsleitung 3-1) darf nicht "
                     "Institutionen erfassen"),
    (("institution", "add", "X", "--type", "Kita", "--address", "A", "--lon", "6", "--lat",
      "51"), "ausschuss", "Keine Berechtigung: ausschuss"),
    (("institution", "link", 1, "--measure", 1), "planer", "bereits verknüpft"),
    (("institution", "link", 9, "--measure", 1), "planer", "Unbekannte Institution 9"),
    (("institution", "link", 1, "--measure", 99), "planer", "Unbekannte Maßnahme 99"),
    (("institution", "import", "fehlt.csv"), "planer", "Datei nicht gefunden"),
    (("export", "geojson", "--out", "/kein/ordner/x.geojson"), "ausschuss",
     "der Ordner existiert nicht"),
])
def test_bad_input_is_refused_in_one_line_and_changes_nothing(places, args, user, phrase):
    before = snapshot_of(places)
    result = places(*args, user=user)
    assert result.exit_code == 1, result.output
    message = result.stderr.strip()
    assert message.startswith("Fehler: ") and phrase in message, message
    assert snapshot_of(places) == before
