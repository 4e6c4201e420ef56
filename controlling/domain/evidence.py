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


def is_worse(value: float, city_value: float, higher_is_worse: bool) -> bool:
    """The district is worse off than the city: higher when higher is worse, else lower."""
    return value > city_value if higher_is_worse else value < city_value


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
    if not is_worse(evidence.district_value, evidence.city_value, higher_is_worse):
        raise EvidenceRefused(
            f"Statistisch nicht gestützt (Empfehlung {number}): {evidence.describe()}; "
            "der Sozialraum steht nicht schlechter da als die Stadt. "
            "Möglich: anderen Indikator oder anderes Jahr prüfen oder die Empfehlung ablehnen."
        )
    return evidence


# the Sozialindex as evidence. The stored dict keeps the keys of an indicator's
# evidence (the city average of the index is 0, higher is worse), so every report shows it
# as it shows an indicator, plus what names the computation.

INDEX_KINDS = {"status": "Statusindex", "dynamics": "Dynamikindex"}
SUPPORTING_CLASSES = {"status": {"low", "very_low"}, "dynamics": {"negative"}}


@dataclass(frozen=True)
class IndexEvidence:
    index: str  # "status" or "dynamics"
    computation: int
    method: str
    level: str  # "quarter" or "district"
    year: int
    base_year: int | None
    area: str
    district: str
    value: float
    klass: str
    class_label: str

    @property
    def label(self) -> str:
        years = f", {self.base_year}–{self.year}" if self.index == "dynamics" else ""
        where = f"Sozialquartier {self.area}, " if self.level == "quarter" else ""
        return (f"{INDEX_KINDS[self.index]} ({where}Klasse „{self.class_label}“{years}; "
                f"Sozialindex-Berechnung Nr. {self.computation}, Methode {self.method})")

    def as_dict(self) -> dict:
        return {
            "indicator": f"sozialindex.{self.index}",
            "label": self.label,
            "year": self.year,
            "district": self.district,
            "district_value": self.value,
            "city_value": 0.0,
            "higher_is_worse": True,
            "source": "sozialindex",
            "index": self.index,
            "computation": self.computation,
            "method": self.method,
            "level": self.level,
            "base_year": self.base_year,
            "area": self.area,
            "class": self.klass,
            "class_label": self.class_label,
        }

    def describe(self) -> str:
        return (f"{self.label} {self.year}: {self.area} {format_number(self.value, 2)} "
                "gegenüber dem Durchschnitt 0")


def assess_index(*, number: int, evidence: IndexEvidence) -> IndexEvidence:
    """The index supports the need when the area's status class is below average (niedrig,
    sehr niedrig) or its dynamics class shows a worsening (negativ); else refused."""
    if evidence.klass not in SUPPORTING_CLASSES[evidence.index]:
        wanted = ("Statusklasse „niedrig“ oder „sehr niedrig“" if evidence.index == "status"
                  else "Dynamikklasse „negativ“")
        raise EvidenceRefused(
            f"Statistisch nicht gestützt (Empfehlung {number}): {evidence.describe()}; nötig "
            f"wäre die {wanted}. Möglich: einen Indikator (--indicator) oder den anderen Index "
            "prüfen oder die Empfehlung ablehnen."
        )
    return evidence
