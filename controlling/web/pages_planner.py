"""The planners' pages: the overview, the recommendations (filters, text search, paging), a
recommendation's detail with history, evidence, progress and trace, and the workflow steps
(one route for every step; the same service and rule table as the command line)."""

from typing import Annotated

from fastapi import APIRouter, Form, Request

from controlling.domain.actors import PERMISSIONS, qualifies
from controlling.domain.dates import parse_date
from controlling.domain.errors import InvalidInput
from controlling.domain.identity import safe_next
from controlling.web.deps import actor_of, call, check_csrf, page
from controlling.web.pages import done, render

router = APIRouter(include_in_schema=False)
STEPS = ("support", "approve", "implement", "reject", "supersede")


@router.get("/uebersicht")
def overview_page(request: Request, user=page("web.overview")):
    from controlling.services.measures import expiring_measures
    from controlling.services.overview import overview

    data = call(request, user, overview)
    expiring = call(request, user, expiring_measures, within="6m")
    return render(request, "overview.html", {"data": data, "expiring": expiring})


@router.get("/sachstandsrunde")
def round_page(request: Request, quartal: str | None = None, user=page("web.overview")):
    from controlling.services.rounds import round_state

    data = call(request, user, round_state, quartal or None, missing_ok=True)
    return render(request, "round.html", {"data": data})


@router.get("/empfehlungen")
def recommendation_list(request: Request, status: str = "", district: str = "",
                        department: str = "", topic: str = "", q: str = "", seite: int = 1,
                        user=page("web.recommendations")):
    from controlling.services.recommendations import search_recommendations
    from controlling.services.setup import list_departments, list_districts, list_topics

    filters = {"status": status, "district": district, "department": department,
               "topic": topic, "q": q}
    result = call(request, user, search_recommendations, status=status or None,
                  district=district or None, department=department or None,
                  topic=topic or None, text=q[:200] or None, page=max(1, min(seite, 10**6)))
    return render(request, "recommendations.html", {
        "result": result, "filters": filters,
        "districts": call(request, user, list_districts),
        "departments": call(request, user, list_departments),
        "topics": call(request, user, list_topics),
        "query": "&".join(f"{k}={v}" for k, v in filters.items() if v)})


@router.get("/empfehlungen/{number}")
def recommendation_detail(request: Request, number: int, user=page("web.recommendations")):
    from controlling.services.recommendations import show_recommendation
    from controlling.services.trace import trace_recommendation

    rec = call(request, user, show_recommendation, _number(number))
    trace = call(request, user, trace_recommendation, _number(number))
    may_progress = rec["status"] == "approved" and qualifies(
        actor_of(user), PERMISSIONS["progress"][0], rec["department"])
    return render(request, "recommendation.html", {"rec": rec, "trace": trace,
                                                   "may_progress": may_progress})


def _number(number: int) -> int:
    if not 1 <= number <= 2_147_483_647:
        from controlling.domain.errors import NotFound

        raise NotFound(f"Unbekannte Empfehlung Nummer {number}.")
    return number


def _int(text: str, what: str) -> int | None:
    text = (text or "").strip()
    if not text:
        return None
    if not text.isdigit() or len(text) > 9:
        raise InvalidInput(f"{what} muss eine ganze Zahl sein.")
    return int(text)


@router.post("/empfehlungen/{number}/schritt/{action}")
def step(request: Request, number: int, action: str,
         csrf: Annotated[str, Form()] = "", version: Annotated[str, Form()] = "",
         note: Annotated[str, Form(max_length=10000)] = "",
         indicator: Annotated[str, Form(max_length=200)] = "",
         year: Annotated[str, Form()] = "", on: Annotated[str, Form()] = "",
         successor: Annotated[str, Form()] = "", back: Annotated[str, Form()] = "",
         user=page("web.recommendations")):
    from controlling.services.recommendations import change_status

    check_csrf(user, csrf)
    if action not in STEPS:
        raise InvalidInput(f"Unbekannter Schritt '{action}'.")
    call(request, user, change_status, _number(number), action, note=note.strip() or None,
         on=parse_date(on or None, "Datum"), indicator=indicator.strip() or None,
         year=_int(year, "Das Jahr"), expected_version=_int(version, "Die Version"),
         successor=_int(successor, "Die Nummer der neuen Empfehlung"))
    return done(safe_next(back or f"/empfehlungen/{number}"), action)


@router.post("/empfehlungen/{number}/sachstand")
def progress(request: Request, number: int, csrf: Annotated[str, Form()] = "",
             version: Annotated[str, Form()] = "", quarter: Annotated[str, Form()] = "",
             light: Annotated[str, Form()] = "",
             note: Annotated[str, Form(max_length=10000)] = "",
             on: Annotated[str, Form()] = "", back: Annotated[str, Form()] = "",
             user=page("web.recommendations")):
    from controlling.services.recommendations import record_progress

    check_csrf(user, csrf)
    if not light:
        raise InvalidInput("Bitte eine Ampel wählen (grün, gelb oder rot).")
    call(request, user, record_progress, _number(number), quarter=quarter, light=light,
         note=note, on=parse_date(on or None, "Datum"),
         expected_version=_int(version, "Die Version"))
    return done(safe_next(back or f"/empfehlungen/{number}"), "progress")
