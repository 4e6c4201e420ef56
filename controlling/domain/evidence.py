"""The statistical support rule: is the district worse off than the city as a whole?"""

from dataclasses import dataclass

from controlling.domain.errors import EvidenceRefused, NotFound
from controlling.domain.formatting import format_number


@dataclass(frozen=True)
class Evidence:
    indicator: str
    label: str
    year: int
    district: str
    district_value: float
    city_value: float
    higher_is_worse: bool

    def as_dict(self) -> dict:
        return {
            "indicator": self.indicator,
            "label": self.label,
            "year": self.year,
            "district": self.district,
            "district_value": self.district_value,
            "city_value": self.city_value,
            "higher_is_worse": self.higher_is_worse,
        }

    def describe(self) -> str:
        direction = "höher ist schlechter" if self.higher_is_worse else "niedriger ist schlechter"
        district_text, city_text = format_pair(self.district_value, self.city_value)
        return (
            f"{self.label} ({self.indicator}) {self.year}: {self.district} "
            f"{district_text} gegenüber stadtweit {city_text} ({direction})"
        )


def format_pair(first: float, second: float) -> tuple[str, str]:
    """Both numbers in German, with as many decimals as it takes to tell different values
    apart (0,01234 and 0,01236 would both read 0,0123 with the usual four)."""
    for digits in range(4, 16):
        texts = format_number(first, digits), format_number(second, digits)
        if texts[0] != texts[1] or first == second:
            return texts
    return texts


def choose_year(
    indicator: str, district: str, district_values: dict[int, float],
    city_values: dict[int, float], year: int | None,
) -> int:
    """The requested year, or the latest year with values for both district and city."""
    if year is not None:
        if year not in district_values:
            raise NotFound(f"Kein Wert für Indikator {indicator}, {district}, Jahr {year}.")
        if year not in city_values:
            raise NotFound(
                f"Kein stadtweiter Vergleichswert für Indikator {indicator} im Jahr {year}."
            )
        return year
    if not city_values:
        raise NotFound(f"Für Indikator {indicator} gibt es keinen stadtweiten Vergleichswert.")
    common = set(district_values) & set(city_values)
    if not common:
        raise NotFound(
            f"Für Indikator {indicator} gibt es kein Jahr mit Werten für {district} "
            "und stadtweit."
        )
    return max(common)


def assess(
    *, number: int, indicator: str, label: str, higher_is_worse: bool, district: str,
    district_values: dict[int, float], city_values: dict[int, float], year: int | None,
) -> Evidence:
    """Return the evidence when the district is worse than the city, else refuse."""
    chosen = choose_year(indicator, district, district_values, city_values, year)
    evidence = Evidence(
        indicator=indicator, label=label, year=chosen, district=district,
        district_value=district_values[chosen], city_value=city_values[chosen],
        higher_is_worse=higher_is_worse,
    )
    worse = (
        evidence.district_value > evidence.city_value
        if higher_is_worse
        else evidence.district_value < evidence.city_value
    )
    if not worse:
        raise EvidenceRefused(
            f"Statistisch nicht gestützt (Empfehlung {number}): {evidence.describe()}; "
            "der Sozialraum steht nicht schlechter da als die Stadt. "
            "Möglich: anderen Indikator oder anderes Jahr prüfen oder die Empfehlung ablehnen."
        )
    return evidence
