"""Institutions for the Sozialnavigator map: type, address, WGS84 coordinates, and the GeoJSON
FeatureCollection (RFC 7946) built from them. Pure Python."""

import math

from controlling.domain.errors import InvalidInput

NAME = 300
TYPE = 120
ADDRESS = 300

# The kinds of the Sozialnavigator (../shared/DOMAIN.md). The type is free text, so another
# city can bring its own; a known type given in other case is stored in this spelling.
KNOWN_TYPES: tuple[str, ...] = (
    "Beratungsstelle",
    "Stadtteilbüro",
    "Jugendzentrum",
    "Kita",
    "Schule",
    "Pflegeeinrichtung",
    "Sportverein",
    "Religionsgemeinschaft",
    "Familienzentrum",
    "Begegnungsstätte",
)

def canonical_type(value: str | None) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise InvalidInput("Der Typ der Institution fehlt (z. B. Beratungsstelle, Kita).")
    if len(text) > TYPE:
        raise InvalidInput(f"Der Typ ist zu lang ({len(text)} Zeichen, höchstens {TYPE}).")
    for known in KNOWN_TYPES:
        if known.lower() == text.lower():
            return known
    return text


def parse_coordinate(value, what: str) -> float:
    """A number (also with a German decimal comma); InvalidInput otherwise."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = float(value)
    else:
        text = str(value if value is not None else "").strip().replace(",", ".")
        if not text:
            raise InvalidInput(f"{what} fehlt.")
        try:
            number = float(text)
        except ValueError:
            raise InvalidInput(f"{what} '{value}' ist keine Zahl.") from None
    if not math.isfinite(number):
        raise InvalidInput(f"{what} '{value}' ist keine endliche Zahl.")
    return number


def check_coordinates(longitude, latitude) -> tuple[float, float]:
    """WGS84 degrees: longitude -180..180, latitude -90..90 (RFC 7946)."""
    lon = parse_coordinate(longitude, "Längengrad")
    lat = parse_coordinate(latitude, "Breitengrad")
    problems = []
    if not -180 <= lon <= 180:
        problems.append(f"Längengrad {lon:g} liegt nicht zwischen -180 und 180")
    if not -90 <= lat <= 90:
        problems.append(f"Breitengrad {lat:g} liegt nicht zwischen -90 und 90")
    if problems:
        raise InvalidInput("; ".join(problems) + " (WGS84-Grad, z. B. Längengrad 6.85 und "
                           "Breitengrad 51.47 für Oberhausen).")
    return lon, lat


def check_text(value: str | None, limit: int, what: str) -> str:
    text = " ".join((value or "").split())
    if not text:
        raise InvalidInput(f"{what} fehlt.")
    if len(text) > limit:
        raise InvalidInput(f"{what} ist zu lang ({len(text)} Zeichen, höchstens {limit}).")
    return text


def feature_collection(institutions: list[dict]) -> dict:
    """RFC 7946 FeatureCollection: one Point feature per institution, [longitude, latitude]."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": item["id"],
                "geometry": {"type": "Point",
                             "coordinates": [item["longitude"], item["latitude"]]},
                "properties": {k: v for k, v in item.items()
                               if k not in ("longitude", "latitude")},
            }
            for item in institutions
        ],
    }
