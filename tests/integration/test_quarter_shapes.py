"""Outlines of the Sozialquartiere on both databases: imported from a GeoJSON file,
all or nothing, and written by `export geojson --quarters` with each quarter's classes in the
newest Sozialindex, for the Sozialnavigator map."""

import json

import pytest
from sqlalchemy import select

from controlling.data.models import Quarter
from controlling.domain.errors import ImportRefused, PermissionDenied
from controlling.services.sozialindex import import_quarter_shapes
from tests.paper_builders import build_index


def square(lon: float, lat: float, size: float = 0.01) -> dict:
    return {"type": "Polygon", "coordinates": [[
        [lon, lat], [lon + size, lat], [lon + size, lat + size], [lon, lat + size], [lon, lat]]]}


def feature(name, geometry, key="quarter") -> dict:
    return {"type": "Feature", "properties": {key: name}, "geometry": geometry}


def write(path, features) -> str:
    path.write_text(json.dumps({"type": "FeatureCollection", "features": features}),
                    encoding="utf-8")
    return str(path)


def shapes(engine) -> dict:
    with engine.connect() as connection:
        return dict(connection.execute(select(Quarter.name, Quarter.shape)).all())


@pytest.fixture
def computed(uow, people, tmp_path):
    return build_index(uow, tmp_path)


def test_imported_outlines_are_exported_with_each_quarters_index_classes(computed, uow, cli,
                                                                         tmp_path):
    path = write(tmp_path / "umrisse.geojson", [
        feature("Tackenberg", square(6.87, 51.52)),
        feature("Styrum-Süd", {"type": "MultiPolygon", "coordinates": [
            square(6.80, 51.45)["coordinates"], square(6.82, 51.45)["coordinates"]]},
            key="Sozialquartier")])
    result = cli("import", "quarter-shapes", path, user="planer")
    assert result.exit_code == 0, result.output
    assert result.output == "2 Umrisse von Sozialquartieren aus umrisse.geojson eingelesen.\n"
    exported = cli("export", "geojson", "--quarters", user="ausschuss")
    assert exported.exit_code == 0, exported.output
    collection = json.loads(exported.output)
    assert collection["type"] == "FeatureCollection"
    features = {f["properties"]["quarter"]: f for f in collection["features"]}
    assert len(features) == 9
    assert features["Tackenberg"]["geometry"] == square(6.87, 51.52)
    assert features["Styrum-Süd"]["geometry"]["type"] == "MultiPolygon"
    assert features["Vonderort"]["geometry"] is None  # no outline: a feature without geometry
    for area in computed["areas"]:
        properties = features[area["area"]]["properties"]
        assert (properties["district"], properties["rank"], properties["status_index"],
                properties["status_class"], properties["status_label"],
                properties["dynamics_class"], properties["dynamics_label"]) == (
            area["district"], area["rank"], area["status"], area["status_class"],
            area["status_label"], area["dynamics_class"], area["dynamics_label"])
        assert (properties["computation"], properties["year"], properties["method"]) == (
            computed["id"], 2024, "z-mean-1")


def test_a_quarter_not_in_the_computation_has_no_classes(computed, uow, cli):
    from controlling.services.sozialindex import add_quarter

    add_quarter(uow(), "planer", name="Neues Quartier", district="Osterfeld")
    collection = json.loads(cli("export", "geojson", "--quarters", user="ausschuss").output)
    (new,) = [f for f in collection["features"] if f["properties"]["quarter"] ==
              "Neues Quartier"]
    assert new["properties"]["rank"] is None and new["properties"]["status_class"] is None
    assert new["properties"]["computation"] is None


def test_importing_again_replaces_an_outline(computed, uow, engine, tmp_path):
    import_quarter_shapes(uow(), "planer", write(tmp_path / "a.geojson",
                                                 [feature("Tackenberg", square(6.0, 51.0))]))
    import_quarter_shapes(uow(), "planer", write(tmp_path / "b.geojson",
                                                 [feature("Tackenberg", square(7.0, 51.0))]))
    assert shapes(engine)["Tackenberg"] == square(7.0, 51.0)


def test_a_file_with_problems_is_refused_naming_each_and_nothing_is_stored(computed, uow,
                                                                           engine, tmp_path):
    path = write(tmp_path / "falsch.geojson", [
        feature("Tackenberg", square(6.87, 51.52)),  # fine, but not stored either
        feature("Nirgendwo", square(6.0, 51.0)),
        feature("Vonderort", {"type": "Point", "coordinates": [6.9, 51.5]}),
        feature("Eisenheim", {"type": "Polygon", "coordinates": [
            square(6.0, 51.0)["coordinates"][0][:-1]]}),
        feature("Tackenberg", square(6.0, 51.0)),
        {"type": "Feature", "properties": {}, "geometry": square(6.0, 51.0)},
    ])
    with pytest.raises(ImportRefused) as refused:
        import_quarter_shapes(uow(), "planer", path)
    text = str(refused.value)
    for problem in ("Feature 2 (Nirgendwo): unbekanntes Sozialquartier 'Nirgendwo'",
                    "Feature 3 (Vonderort): Geometrie 'Point' statt Polygon oder MultiPolygon",
                    "Feature 4 (Eisenheim): Polygon: der Ring ist nicht geschlossen",
                    "Feature 5 (Tackenberg): Tackenberg kommt doppelt vor (schon in Feature 1)",
                    "Feature 6: die Eigenschaft 'quarter' (der Name des Sozialquartiers) fehlt"):
        assert problem in text
    assert set(shapes(engine).values()) == {None}


def test_a_file_that_is_no_geojson_is_refused_in_german(computed, uow, tmp_path):
    broken = tmp_path / "kaputt.geojson"
    broken.write_text('{"type": "FeatureCollection", "features": [', encoding="utf-8")
    with pytest.raises(ImportRefused, match=r"kein gültiges JSON \(Zeile 1, Spalte"):
        import_quarter_shapes(uow(), "planer", broken)
    points = tmp_path / "punkte.geojson"
    points.write_text('{"type": "Point", "coordinates": [6.9, 51.5]}', encoding="utf-8")
    with pytest.raises(ImportRefused, match="kein GeoJSON mit Features"):
        import_quarter_shapes(uow(), "planer", points)


def test_only_planners_and_admins_import_outlines(computed, uow, engine, tmp_path):
    path = write(tmp_path / "umrisse.geojson", [feature("Tackenberg", square(6.87, 51.52))])
    with pytest.raises(PermissionDenied):
        import_quarter_shapes(uow(), "ausschuss", path)
    assert shapes(engine)["Tackenberg"] is None
