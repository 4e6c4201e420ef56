"""Department heads: "Zur Freigabe" (what waits for their decision) and "Sachstand" (their
approved recommendations without a Sachstand for the quarter)."""

from fastapi import APIRouter, Request

from controlling.web.deps import call, page
from controlling.web.pages import render

router = APIRouter(include_in_schema=False)


@router.get("/freigabe")
def approvals(request: Request, user=page("web.head")):
    from controlling.services.approvals import awaiting_decision

    items = call(request, user, awaiting_decision)
    return render(request, "approvals.html", {"items": items})


@router.get("/sachstand")
def progress_due(request: Request, quartal: str | None = None, user=page("web.head")):
    from controlling.services.approvals import awaiting_progress

    data = call(request, user, awaiting_progress, quartal or None)
    return render(request, "progress_due.html", {"data": data})
