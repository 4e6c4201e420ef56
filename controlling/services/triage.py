"""Triage (Recherche und Rückkopplung) of a suggestion along the seed's decision tree, and the
statistical check of the recommendation it led to."""

from datetime import date

from controlling.data.models import SuggestionOutcome
from controlling.data.triage_repository import TriageRepository
from controlling.domain.actors import require
from controlling.domain.dates import check_effective_date
from controlling.domain.errors import Conflict, EvidenceRefused, InvalidInput, TransitionRefused
from controlling.domain.events import format_event_date
from controlling.domain.evidence import Evidence, choose_year
from controlling.domain.limits import check_number
from controlling.domain.triage import (
    NOT_SUPPORTED,
    MeasureFacts,
    Outcome,
    check_linked_kind,
    check_open,
    plan_triage,
)
from controlling.domain.vocabulary import Kind, Status, parse_choice
from controlling.services.common import actor_of, now, recommendation_view, today
from controlling.services.measures import create_measure, measure_view, resolve_or_refuse
from controlling.services.recommendations import apply_action, new_recommendation
from controlling.services.suggestions import suggestion_view

TITLE_FROM_TEXT = 160  # a recommendation's default title: the suggestion's text, shortened


def triage_suggestion(
    uow, login: str, suggestion_id: int, outcome: str, *, measure_id: int | None = None,
    new_measure: dict | None = None, kind: str | None = None, recommendation: int | None = None,
    number: int | None = None, title: str | None = None, department: str | None = None,
    indicator: str | None = None, year: int | None = None, reason: str | None = None,
    on: date | None = None,
) -> dict:
    """Decide a suggestion (one outcome, never replaced) and leave the links of its branch."""
    with uow:
        actor = actor_of(uow, login)
        require(actor, "triage")
        repo = TriageRepository(uow.session)
        suggestion = repo.suggestion(suggestion_id)
        parsed = parse_choice(Outcome, outcome, "Ergebnis")
        check_open(suggestion.id, suggestion.outcome.outcome if suggestion.outcome else None)
        decided_on = _decision_date(suggestion, on)
        if measure_id is not None and new_measure:
            raise InvalidInput("Entweder --measure oder --new-measure angeben, nicht beides.")
        measure, new_values = None, None
        if measure_id is not None:
            measure = repo.measure(measure_id)
            facts = MeasureFacts(measure.id, measure.title, measure.ends_on,
                                 _covers(measure.districts, suggestion.district))
        elif new_measure:
            new_values = _new_measure_values(uow, suggestion, new_measure, department)
            facts = MeasureFacts(0, new_values["title"], new_values.get("ends_on"), True)
        else:
            facts = None
        plan = plan_triage(suggestion.id, parsed, current=None, measure=facts,
                           kind=parse_choice(Kind, kind, "Art") if kind else None,
                           reason=reason)
        if plan.recommendation_kind is None and any(
                v is not None for v in (recommendation, number, title, indicator)):
            raise InvalidInput(f"Ergebnis '{parsed.label}' erzeugt keine Empfehlung "
                               "(--recommendation, --number, --title, --indicator weglassen).")
        if indicator and parsed != Outcome.MISSING:
            raise InvalidInput("Die statistische Prüfung (--indicator) gehört zum Ergebnis "
                               f"'{Outcome.MISSING.label}'.")
        user = uow.repo.user(login)
        if new_values is not None:
            require(actor, "measure.write", new_values["department"].code)
            measure = create_measure(uow, user, new_values,
                                     reason=f"angelegt bei der Triage von Hinweis {suggestion.id}")
        rec = None
        if plan.recommendation_kind is not None:
            if recommendation is not None:
                if number is not None or title is not None:
                    raise InvalidInput("Mit --recommendation wird keine neue Empfehlung angelegt "
                                       "(--number, --title weglassen).")
                rec = uow.repo.recommendation(recommendation)
                check_linked_kind(parsed, rec.number, rec.kind)
            else:
                rec = _new_recommendation(uow, suggestion, plan.recommendation_kind, measure,
                                          number=number, title=title, department=department,
                                          effective_on=decided_on, user=user)
            if measure is not None:
                repo.link(rec.id, measure.id)
        uow.session.add(SuggestionOutcome(
            suggestion_id=suggestion.id, outcome=plan.outcome,
            measure_id=measure.id if measure else None, recommendation_id=rec.id if rec else None,
            reason=plan.reason, actor_id=user.id, decided_on=decided_on, recorded_at=now(),
        ))
        uow.flush()
        check = _statistical_check(uow, actor, rec, indicator, year, decided_on) if (
            indicator) else None
        uow.session.expire_all()
        result = suggestion_view(repo.suggestion(suggestion.id))
        result["measure"] = measure_view(repo.measure(measure.id)) if measure else None
        result["recommendation"] = (recommendation_view(uow.repo.recommendation(rec.number))
                                    if rec else None)
        result["check"] = check
        uow.commit()
        return result


def check_suggestion(uow, login: str, suggestion_id: int, *, indicator: str,
                     year: int | None = None, on: date | None = None) -> dict:
    """The statistical check of the new recommendation a suggestion led to: supported, or
    rejected with the reason "statistisch nicht gestützt"."""
    with uow:
        actor = actor_of(uow, login)
        require(actor, "triage")
        suggestion = TriageRepository(uow.session).suggestion(suggestion_id)
        outcome = suggestion.outcome
        if outcome is None or outcome.outcome != Outcome.MISSING:
            state = outcome.outcome.label if outcome else "offen"
            raise TransitionRefused(
                f"Hinweis {suggestion_id} ist '{state}'; statistisch geprüft wird nur die neue "
                f"Empfehlung eines Hinweises mit Ergebnis '{Outcome.MISSING.label}'."
            )
        rec = uow.repo.recommendation(outcome.recommendation.number)
        check = _statistical_check(uow, actor, rec, indicator, year, on or today())
        result = {"suggestion": suggestion_id, "recommendation": rec.number, **check}
        uow.commit()
        return result


def _decision_date(suggestion, on: date | None) -> date:
    decided_on = on or today()
    event = suggestion.event
    if decided_on > today():
        raise InvalidInput("Das Datum der Entscheidung liegt in der Zukunft.")
    if decided_on < event.held_on:
        raise InvalidInput(
            f"Das Datum der Entscheidung liegt vor der Veranstaltung "
            f"({format_event_date(event.held_on, event.date_precision)})."
        )
    return decided_on


def _covers(districts, district) -> bool:
    return any(d.is_citywide or d.id == district.id for d in districts)


def _new_measure_values(uow, suggestion, new_measure: dict, department: str | None) -> dict:
    raw = {"districts": [suggestion.district.name], "department": department,
           "topic": suggestion.topic.name if suggestion.topic else None, **new_measure}
    if not raw.get("department"):
        raise InvalidInput("Ein neuer Steckbrief braucht einen Bereich (--department).")
    return resolve_or_refuse(uow, raw)


def _new_recommendation(uow, suggestion, kind: Kind, measure, *, number, title, department,
                        effective_on: date, user):
    repo = TriageRepository(uow.session)
    if number is None:
        number = repo.next_free_number()
    else:
        check_number(number)
        if uow.repo.existing_numbers({number}):
            raise Conflict(f"Empfehlung Nummer {number} gibt es bereits.")
    check_effective_date(effective_on, None, today(), number)
    if department:
        found_department = uow.repo.department(department)
    elif measure is not None:
        found_department = measure.department
    else:
        raise InvalidInput("Die neue Empfehlung braucht einen zuständigen Bereich "
                           "(--department).")
    text = suggestion.text
    default_title = text if len(text) <= TITLE_FROM_TEXT else text[:TITLE_FROM_TEXT - 1] + "…"
    if kind != Kind.NEW and measure is not None:
        default_title = f"{kind.label}: {measure.title}"
    event = suggestion.event
    rec = new_recommendation(
        uow, number=number, title=(title or "").strip() or default_title,
        district=suggestion.district, department=found_department, kind=kind,
        topic=suggestion.topic,
        description=(f"Aus Hinweis {suggestion.id} ({event.title}, "
                     f"{format_event_date(event.held_on, event.date_precision)}): {text}"),
        effective_on=effective_on, user=user, source=f"Triage Hinweis {suggestion.id}",
    )
    uow.flush()
    return rec


def _statistical_check(uow, actor, rec, indicator: str, year: int | None, on: date) -> dict:
    """Run the core support transition; when the district is not worse off than the city,
    reject with the reason "statistisch nicht gestützt" and the values compared."""
    if rec.status != Status.PROPOSED:
        raise TransitionRefused(
            f"Empfehlung {rec.number} ist '{rec.status.label}'; geprüft wird nur eine "
            "vorgeschlagene Empfehlung."
        )
    if rec.district.is_citywide:
        raise EvidenceRefused(
            f"Empfehlung {rec.number} ist stadtweit: es gibt keinen Sozialraum, der mit dem "
            "stadtweiten Wert verglichen werden könnte; ohne --indicator entscheiden."
        )
    try:
        change = apply_action(uow, actor, rec, "support", on=on, indicator=indicator,
                              year=year)
        return {"supported": True, "status": rec.status.value, "evidence": change.evidence,
                "reason": None}
    except EvidenceRefused:
        reason = f"{NOT_SUPPORTED}: {_describe(uow, rec, indicator, year)}"
        apply_action(uow, actor, rec, "reject", note=reason, on=on)
        return {"supported": False, "status": rec.status.value, "evidence": None,
                "reason": reason}


def _describe(uow, rec, indicator_code: str, year: int | None) -> str:
    indicator = uow.repo.indicator(indicator_code.strip())
    district_values = uow.repo.indicator_values(indicator, rec.district)
    city_values = uow.repo.indicator_values(indicator, uow.repo.citywide())
    chosen = choose_year(indicator.code, rec.district.name, district_values, city_values, year)
    return Evidence(indicator.code, indicator.label, chosen, rec.district.name,
                    district_values[chosen], city_values[chosen],
                    indicator.higher_is_worse).describe()
