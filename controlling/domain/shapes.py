"""The outline of a Sozialquartier: a GeoJSON Polygon or MultiPolygon geometry in
WGS84, positions [longitude, latitude] (RFC 7946), checked before it is stored, and the
FeatureCollection of the quarters with their index classes for the Sozialnavigator map. Pure
Python."""

import math

from controlling.domain.limits import thousands

GEOMETRY_TYPES = ("Polygon", "MultiPolygon")
MAX_POSITIONS = 100_000  # positions in one outline (a city district needs a few thousand)
NAME_KEYS = ("quarter", "Sozialquartier", "name")  # the property naming the quarter


def _number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(
        value)


def _ring_problem(ring, where: str, counted: list[int]) -> str | None:
    if not isinstance(ring, list) or len(ring) < 4:
        return (f"{where}: ein Ring braucht mindestens 4 Positionen (der erste Punkt am Ende "
                "wiederholt)")
    counted[0] += len(ring)
    for position in ring:
        if (not isinstance(position, list) or len(position) not in (2, 3)
                or not all(_number(v) for v in position)):
            return f"{where}: eine Position ist kein Paar [Längengrad, Breitengrad] aus Zahlen"
        longitude, latitude = position[0], position[1]
        if not -180 <= longitude <= 180 or not -90 <= latitude <= 90:
            return (f"{where}: [{longitude}, {latitude}] liegt außerhalb von WGS84 (Längengrad "
                    "−180 bis 180, Breitengrad −90 bis 90; Reihenfolge: Längengrad zuerst)")
    if ring[0][:2] != ring[-1][:2]:
        return f"{where}: der Ring ist nicht geschlossen (letzter Punkt ≠ erster)"
    return None


def geometry_problems(geometry) -> list[str]:
    """What is wrong with `geometry` as a quarter's outline; [] when it is fine."""
    if not isinstance(geometry, dict):
        return ["keine Geometrie (ein Objekt mit type und coordinates)"]
    kind = geometry.get("type")
    if kind not in GEOMETRY_TYPES:
        return [f"Geometrie '{kind}' statt Polygon oder MultiPolygon"]
    coordinates = geometry.get("coordinates")
    polygons = [coordinates] if kind == "Polygon" else coordinates
    if not isinstance(polygons, list) or not polygons:
        return ["die Geometrie hat keine Koordinaten"]
    counted = [0]
    for number, polygon in enumerate(polygons, start=1):
        where = "Polygon" if kind == "Polygon" else f"Polygon {number}"
        if not isinstance(polygon, list) or not polygon:
            return [f"{where}: keine Ringe"]
        for ring in polygon:
            problem = _ring_problem(ring, where, counted)
            if problem:
                return [problem]
        if counted[0] > MAX_POSITIONS:
            return [f"mehr als {thousands(MAX_POSITIONS)} Positionen (höchstens "
                    f"{thousands(MAX_POSITIONS)} je Umriss; bitte vereinfachen)"]
    return []


def outline(geometry: dict) -> dict:
    """The checked geometry as stored: type and coordinates only, positions as floats."""
    def ring(positions):
        return [[float(v) for v in position] for position in positions]

    if geometry["type"] == "Polygon":
        coordinates = [ring(r) for r in geometry["coordinates"]]
    else:
        coordinates = [[ring(r) for r in polygon] for polygon in geometry["coordinates"]]
    return {"type": geometry["type"], "coordinates": coordinates}


def quarter_name(properties) -> str:
    """The quarter a feature is for: its property `quarter` (or `Sozialquartier`, `name`)."""
    if not isinstance(properties, dict):
        return ""
    for key in NAME_KEYS:
        value = properties.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def quarters_collection(quarters: list[dict]) -> dict:
    """RFC 7946 FeatureCollection: one feature per quarter, its outline as the geometry (null
    for a quarter without one: RFC 7946 3.2), everything else as properties."""
    return {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": item["id"], "geometry": item["shape"],
             "properties": {k: v for k, v in item.items() if k not in ("id", "shape")}}
            for item in quarters
        ],
    }
