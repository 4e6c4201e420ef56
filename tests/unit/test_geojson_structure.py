"""GeoJSON (RFC 7946) from plain institution data, and the WGS84 checks of coordinates."""

import json

import pytest

from controlling.domain.errors import InvalidInput
from controlling.domain.institutions import (
    canonical_type,
    check_coordinates,
    feature_collection,
)

ITEM = {"id": 3, "name": "Stadtteilbüro", "type": "Stadtteilbüro", "address": "Weg 1",
        "district": "Osterfeld", "longitude": 6.88, "latitude": 51.5,
        "measures": [{"id": 1, "title": "Familienbüro", "department": "3-1"}]}


def test_each_institution_becomes_a_point_feature_with_longitude_first():
    collection = feature_collection([ITEM])
    assert collection["type"] == "FeatureCollection"
    (feature,) = collection["features"]
    assert feature["type"] == "Feature" and feature["id"] == 3
    assert feature["geometry"] == {"type": "Point", "coordinates": [6.88, 51.5]}
    assert feature["properties"] == {k: v for k, v in ITEM.items()
                                     if k not in ("longitude", "latitude")}
    assert "crs" not in collection  # RFC 7946: WGS84 only, no crs member
    json.dumps(collection)  # plain JSON values only


def test_no_institutions_give_an_empty_collection():
    assert feature_collection([]) == {"type": "FeatureCollection", "features": []}


@pytest.mark.parametrize(("lon", "lat", "expected"), [
    ("6.85", "51.47", (6.85, 51.47)), ("6,85", "51,47", (6.85, 51.47)),
    (-180, 90, (-180.0, 90.0)), (180, -90, (180.0, -90.0)),
])
def test_coordinates_within_the_wgs84_ranges_are_accepted(lon, lat, expected):
    assert check_coordinates(lon, lat) == expected


@pytest.mark.parametrize(("lon", "lat", "phrase"), [
    (180.5, 51, "Längengrad 180.5 liegt nicht zwischen -180 und 180"),
    (6.8, -90.01, "Breitengrad -90.01 liegt nicht zwischen -90 und 90"),
    (51.47, 96.85, "Breitengrad 96.85"),  # latitude and longitude swapped by mistake
    ("nan", 51, "keine endliche Zahl"), ("inf", 51, "keine endliche Zahl"),
    ("sechs", 51, "keine Zahl"), ("", 51, "Längengrad fehlt"),
])
def test_coordinates_outside_the_ranges_or_not_numbers_are_refused(lon, lat, phrase):
    with pytest.raises(InvalidInput, match=phrase):
        check_coordinates(lon, lat)


def test_a_known_type_is_stored_in_its_spelling_and_any_other_as_given():
    assert canonical_type("  kita ") == "Kita"
    assert canonical_type("Stadtteilbüro") == "Stadtteilbüro"
    assert canonical_type("Tafel  e.V.") == "Tafel e.V."
    with pytest.raises(InvalidInput, match="fehlt"):
        canonical_type(" ")
