"""Lookups for events, suggestions and measure profiles, with German errors when not found."""

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session, joinedload, selectinload

from controlling.data.models import (
    Event,
    Measure,
    MeasureChange,
    Recommendation,
    StatusChange,
    Suggestion,
    SuggestionOutcome,
    recommendation_measures,
)
from controlling.domain.errors import NotFound
from controlling.domain.limits import MAX_INTEGER
from controlling.domain.vocabulary import Kind


def _valid_id(value: int) -> bool:
    return 1 <= value <= MAX_INTEGER  # PostgreSQL refuses to compare larger integers


class TriageRepository:
    def __init__(self, session: Session):
        self.session = session

    # events -----------------------------------------------------------------------------------
    def event(self, event_id: int) -> Event:
        found = self.find_event(event_id)
        if found is None:
            raise NotFound(f"Unbekannte Veranstaltung {event_id} (Liste: controlling event list).")
        return found

    def find_event(self, event_id: int) -> Event | None:
        if not _valid_id(event_id):
            return None
        return self.session.scalar(
            select(Event).options(joinedload(Event.district)).where(Event.id == event_id))

    def events(self, district_id: int | None = None) -> list[Event]:
        query = select(Event).options(joinedload(Event.district)).order_by(Event.held_on,
                                                                           Event.id)
        if district_id is not None:
            query = query.where(Event.district_id == district_id)
        return list(self.session.scalars(query))

    def event_by_key(self, kind, district_id: int, held_on) -> Event | None:
        return self.session.scalar(select(Event).where(
            Event.kind == kind, Event.district_id == district_id, Event.held_on == held_on))

    # suggestions --------------------------------------------------------------------------------
    def _suggestion_query(self):
        return select(Suggestion).options(
            joinedload(Suggestion.event).joinedload(Event.district),
            joinedload(Suggestion.district),
            joinedload(Suggestion.topic),
            joinedload(Suggestion.actor),
            joinedload(Suggestion.outcome).joinedload(SuggestionOutcome.recommendation),
            joinedload(Suggestion.outcome).joinedload(SuggestionOutcome.actor),
        )

    def suggestion(self, suggestion_id: int) -> Suggestion:
        found = None
        if _valid_id(suggestion_id):
            found = self.session.scalar(
                self._suggestion_query().where(Suggestion.id == suggestion_id))
        if found is None:
            raise NotFound(f"Unbekannter Hinweis {suggestion_id} (Liste: controlling "
                           "suggestion list).")
        return found

    def suggestions(self, *, event_id=None, district_id=None, topic_id=None) -> list[Suggestion]:
        query = self._suggestion_query().join(Suggestion.event).order_by(
            Event.held_on, Suggestion.event_id, Suggestion.district_id, Suggestion.id)
        if event_id is not None:
            query = query.where(Suggestion.event_id == event_id)
        if district_id is not None:
            query = query.where(Suggestion.district_id == district_id)
        if topic_id is not None:
            query = query.where(Suggestion.topic_id == topic_id)
        return list(self.session.scalars(query).unique())

    def suggestion_counts(self) -> dict[int, tuple[int, int]]:
        """event id -> (suggestions, open suggestions)."""
        rows = self.session.execute(
            select(Suggestion.event_id, func.count(Suggestion.id),
                   func.count(SuggestionOutcome.id))
            .outerjoin(SuggestionOutcome, SuggestionOutcome.suggestion_id == Suggestion.id)
            .group_by(Suggestion.event_id)
        )
        return {event_id: (total, total - decided) for event_id, total, decided in rows}

    def suggestions_of_recommendation(self, recommendation_id: int) -> list[Suggestion]:
        query = self._suggestion_query().join(
            SuggestionOutcome, SuggestionOutcome.suggestion_id == Suggestion.id
        ).join(Suggestion.event).where(
            SuggestionOutcome.recommendation_id == recommendation_id
        ).order_by(Event.held_on, Suggestion.id)
        return list(self.session.scalars(query).unique())

    def suggestions_of_measure(self, measure_id: int) -> list[Suggestion]:
        query = self._suggestion_query().join(
            SuggestionOutcome, SuggestionOutcome.suggestion_id == Suggestion.id
        ).where(SuggestionOutcome.measure_id == measure_id).order_by(Suggestion.id)
        return list(self.session.scalars(query).unique())

    def last_notes(self, recommendation_ids: set[int]) -> dict[int, str | None]:
        """The note of each recommendation's latest status change (the rejection reason)."""
        from controlling.data.repositories import chunked

        notes: dict[int, str | None] = {}
        for ids in chunked(recommendation_ids):
            notes.update(self.session.execute(
                select(StatusChange.recommendation_id, StatusChange.note)
                .where(StatusChange.recommendation_id.in_(ids))
                .order_by(StatusChange.recommendation_id, StatusChange.effective_on,
                          StatusChange.id)).all())
        return notes

    # measures -----------------------------------------------------------------------------------
    def _measure_query(self):
        return select(Measure).options(
            joinedload(Measure.department), joinedload(Measure.contact_department),
            joinedload(Measure.topic), selectinload(Measure.districts),
            selectinload(Measure.recommendations),
        )

    def measure(self, measure_id: int) -> Measure:
        found = None
        if _valid_id(measure_id):
            found = self.session.scalar(self._measure_query().where(Measure.id == measure_id))
        if found is None:
            raise NotFound(f"Unbekannte Maßnahme {measure_id} (Liste: controlling measure list).")
        return found

    def measures(self, *, department_id=None, topic_id=None, ends_between=None) -> list[Measure]:
        query = self._measure_query().order_by(Measure.id)
        if department_id is not None:
            query = query.where(Measure.department_id == department_id)
        if topic_id is not None:
            query = query.where(Measure.topic_id == topic_id)
        if ends_between is not None:
            query = query.where(Measure.ends_on.between(*ends_between)).order_by(None).order_by(
                Measure.ends_on, Measure.id)
        return list(self.session.scalars(query))

    def measures_of_recommendation(self, recommendation_id: int) -> list[Measure]:
        query = self._measure_query().join(
            recommendation_measures, recommendation_measures.c.measure_id == Measure.id
        ).where(recommendation_measures.c.recommendation_id == recommendation_id).order_by(
            Measure.id)
        return list(self.session.scalars(query))

    def measure_changes(self, measure_id: int) -> list[MeasureChange]:
        return list(self.session.scalars(
            select(MeasureChange).options(joinedload(MeasureChange.actor))
            .where(MeasureChange.measure_id == measure_id).order_by(MeasureChange.id)))

    def measures_with_continuation(self) -> set[int]:
        """Measures that have an extension or permanence recommendation (in any status)."""
        rows = self.session.scalars(
            select(recommendation_measures.c.measure_id)
            .join(Recommendation,
                  Recommendation.id == recommendation_measures.c.recommendation_id)
            .where(Recommendation.kind.in_([Kind.EXTENSION, Kind.PERMANENCE]))
        )
        return set(rows)

    def link(self, recommendation_id: int, measure_id: int) -> bool:
        """Link a recommendation and a measure; False when they already were."""
        exists = self.session.scalar(select(func.count()).select_from(recommendation_measures)
                                     .where(recommendation_measures.c.measure_id == measure_id,
                                            recommendation_measures.c.recommendation_id
                                            == recommendation_id))
        if exists:
            return False
        self.session.execute(insert(recommendation_measures).values(
            recommendation_id=recommendation_id, measure_id=measure_id))
        return True

    # recommendations ------------------------------------------------------------------------------
    def next_free_number(self) -> int:
        """One above the highest recommendation number (gaps are not reused)."""
        return (self.session.scalar(select(func.max(Recommendation.number))) or 0) + 1
