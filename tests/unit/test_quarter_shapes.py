"""The outline of a Sozialquartier: what a GeoJSON geometry must be to be stored,
and the FeatureCollection of the quarters. No database."""

from controlling.domain.shapes import (
    MAX_POSITIONS,
    geometry_problems,
    outline,
    quarter_name,
    quarters_collection,
)

SQUARE = [[6.85, 51.52], [6.86, 51.52], [6.86, 51.53], [6.85, 51.53], [6.85, 51.52]]


def test_a_closed_polygon_and_a_multipolygon_in_wgs84_are_accepted():
    assert geometry_problems({"type": "Polygon", "coordinates": [SQUARE]}) == []
    assert geometry_problems({"type": "MultiPolygon",
                              "coordinates": [[SQUARE], [SQUARE[::-1]]]}) == []


def test_a_point_a_ring_left_open_and_too_few_positions_are_refused():
    assert geometry_problems({"type": "Point", "coordinates": [6.85, 51.52]}) == [
        "Geometrie 'Point' statt Polygon oder MultiPolygon"]
    (problem,) = geometry_problems({"type": "Polygon", "coordinates": [SQUARE[:-1]]})
    assert "nicht geschlossen" in problem
    (problem,) = geometry_problems({"type": "Polygon", "coordinates": [SQUARE[:3]]})
    assert "mindestens 4 Positionen" in problem
    assert geometry_problems(None) == ["keine Geometrie (ein Objekt mit type und coordinates)"]


def test_a_position_outside_wgs84_or_of_text_instead_of_numbers_is_refused():
    far = [list(position) for position in SQUARE]
    far[1][0] = 1030.0  # projected metres (e.g. UTM) are no longitude
    (problem,) = geometry_problems({"type": "Polygon", "coordinates": [far]})
    assert "außerhalb von WGS84" in problem and "Längengrad zuerst" in problem
    text = [[str(lon), lat] for lon, lat in SQUARE]
    (problem,) = geometry_problems({"type": "Polygon", "coordinates": [text]})
    assert "aus Zahlen" in problem
    flags = [[True, lat] for _, lat in SQUARE]
    assert geometry_problems({"type": "Polygon", "coordinates": [flags]}) != []


def test_an_outline_with_more_positions_than_the_limit_is_refused():
    ring = [[6.0 + i * 1e-6, 51.0] for i in range(MAX_POSITIONS)] + [[6.0, 51.0]]
    (problem,) = geometry_problems({"type": "Polygon", "coordinates": [ring]})
    assert "mehr als 100.000 Positionen" in problem


def test_the_stored_outline_keeps_only_type_and_coordinates_as_floats():
    given = {"type": "Polygon", "coordinates": [[[6, 51], [7, 51], [7, 52], [6, 51]]],
             "bbox": [6, 51, 7, 52], "crs": "urn:ogc:def:crs:OGC:1.3:CRS84"}
    assert outline(given) == {"type": "Polygon", "coordinates": [
        [[6.0, 51.0], [7.0, 51.0], [7.0, 52.0], [6.0, 51.0]]]}


def test_the_quarter_is_named_by_quarter_sozialquartier_or_name():
    assert quarter_name({"quarter": " Tackenberg ", "name": "anders"}) == "Tackenberg"
    assert quarter_name({"Sozialquartier": "Vonderort"}) == "Vonderort"
    assert quarter_name({"name": "Eisenheim"}) == "Eisenheim"
    assert quarter_name({"quarter": 7}) == "" and quarter_name(None) == ""


def test_a_quarter_without_an_outline_is_a_feature_with_a_null_geometry():
    collection = quarters_collection([
        {"id": 1, "shape": {"type": "Polygon", "coordinates": [SQUARE]},
         "quarter": "Tackenberg", "status_class": "low"},
        {"id": 2, "shape": None, "quarter": "Vonderort", "status_class": None}])
    assert collection["type"] == "FeatureCollection"
    first, second = collection["features"]
    assert first == {"type": "Feature", "id": 1,
                     "geometry": {"type": "Polygon", "coordinates": [SQUARE]},
                     "properties": {"quarter": "Tackenberg", "status_class": "low"}}
    assert second["geometry"] is None and second["properties"]["quarter"] == "Vonderort"
