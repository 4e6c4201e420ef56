"""Templates: one base layout, German filters, autoescape on."""

from datetime import date, datetime
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, select_autoescape

from controlling.domain.formatting import (
    decimals_needed,
    format_date,
    format_fixed,
    format_number,
)
from controlling.domain.vocabulary import (
    KIND_LABELS,
    LIGHT_LABELS,
    STATUS_LABELS,
    Kind,
    Light,
    Status,
)
from controlling.domain.vocabulary import ROLE_LABELS as _ROLES
from controlling.domain.workflow import ACTION_LABELS

ROLE_LABELS = {role.value: label for role, label in _ROLES.items()}  # keyed by the stored text
OUTCOMES = {"success": "angemeldet", "failure": "fehlgeschlagen", "locked": "gesperrt",
            "refused": "abgelehnt", "signed_out": "abgemeldet"}
TEMPLATES = Path(__file__).resolve().parent / "templates"


def _date(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = date.fromisoformat(value[:10])
    return format_date(value)


def _datetime(value) -> str:
    if not value:
        return ""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return value.strftime("%d.%m.%Y %H:%M")


def _choice(labels, enum):
    def label(value) -> str:
        if value is None:
            return "–"
        try:
            return labels[enum(value)]
        except ValueError:
            return str(value)
    return label


def _quarter(value) -> str:
    """'2025-Q1' -> '1. Quartal 2025'."""
    if not value:
        return ""
    year, number = str(value).split("-Q")
    return f"{number}. Quartal {year}"


def _fixed(value, digits: int) -> str:
    """A number with exactly `digits` decimals (one number of decimals a column); '–'."""
    return "–" if value is None else format_fixed(value, digits)


def _signed(value, digits: int) -> str:
    if value is None:
        return "–"
    if value > 0:
        return f"+{format_fixed(value, digits)}"
    if value < 0:
        return f"−{format_fixed(-value, digits)}"
    return format_fixed(0, digits)


def _percent(share) -> str:
    return "–" if share is None else f"{format_fixed(share * 100, 1)} %"


def environment() -> Environment:
    env = Environment(loader=FileSystemLoader(TEMPLATES),
                      autoescape=select_autoescape(default=True, default_for_string=True))
    env.filters.update(
        date_de=_date, datetime_de=_datetime, number_de=format_number,
        status_de=_choice(STATUS_LABELS, Status), kind_de=_choice(KIND_LABELS, Kind),
        light_de=_choice(LIGHT_LABELS, Light), action_de=lambda a: ACTION_LABELS.get(a, a),
        quarter_de=_quarter, fixed_de=_fixed, signed_de=_signed, percent_de=_percent,
    )
    from controlling.domain.recommendation_edits import describe_changes

    env.globals.update(STATUSES=list(Status), LIGHTS=list(Light), ACTION_LABELS=ACTION_LABELS,
                       describe_changes=describe_changes,
                       ROLE_LABELS=ROLE_LABELS, OUTCOMES=OUTCOMES,
                       decimals_needed=decimals_needed)
    return env
