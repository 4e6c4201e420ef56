"""Traceability: a recommendation from the event and suggestion it came from to its last
progress update."""

from controlling.data.triage_repository import TriageRepository
from controlling.services.common import (
    actor_of,
    change_view,
    progress_views,
    recommendation_view,
    supersession_view,
)
from controlling.services.events import event_view
from controlling.services.measures import measure_view
from controlling.services.suggestions import suggestion_view


def trace_recommendation(uow, login: str, number: int) -> dict:
    """Events, suggestions, measures, the whole status history with evidence, progress and
    corrections."""
    from controlling.services.recommendation_edits import edits_of

    with uow:
        actor_of(uow, login)
        repo = TriageRepository(uow.session)
        rec = uow.repo.recommendation(number)
        suggestions = repo.suggestions_of_recommendation(rec.id)
        events = {}
        for suggestion in suggestions:
            events.setdefault(suggestion.event_id, suggestion.event)
        view = recommendation_view(rec)
        view["events"] = [event_view(e) for e in events.values()]
        view["suggestions"] = [suggestion_view(s) for s in suggestions]
        view["measures"] = [measure_view(m) for m in repo.measures_of_recommendation(rec.id)]
        view["history"] = [change_view(c) for c in uow.repo.history(rec.id)]
        view["progress"] = progress_views(uow.repo.progress(rec.id))
        view["edits"] = edits_of(uow.session, rec.id)
        view.update(supersession_view(uow.session, rec.id))  # superseded_by, supersedes
        return view
