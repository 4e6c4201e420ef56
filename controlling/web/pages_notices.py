"""The page "Rückmeldungen" (planners and admins): which institutions are told when a
recommendation from their Sozialraum's expert dialogue changes status, and the form to opt an
institution in (its own address) or out. The same services as `institution notices`."""

from typing import Annotated

from fastapi import APIRouter, Form, Request

from controlling.web.deps import call, check_csrf, page
from controlling.web.pages import done, render

router = APIRouter(include_in_schema=False)
MAX_ID = 2_147_483_647


@router.get("/rueckmeldungen")
def notices_page(request: Request, district: str = "", user=page("web.overview")):
    from controlling.services.notices import notice_subscriptions
    from controlling.services.setup import list_districts

    data = call(request, user, notice_subscriptions, district=district[:200] or None)
    return render(request, "notices.html", {"data": data, "district": district,
                                            "districts": call(request, user, list_districts)})


@router.post("/rueckmeldungen/{institution_id}/bestellen")
def opt_in(request: Request, institution_id: int, csrf: Annotated[str, Form()] = "",
           email: Annotated[str, Form(max_length=254)] = "", user=page("web.overview")):
    from controlling.domain.errors import InvalidInput
    from controlling.services.notices import set_notices

    check_csrf(user, csrf)
    if not email.strip():
        raise InvalidInput("Bitte die Adresse der Institution angeben.")
    call(request, user, set_notices, _id(institution_id), email=email.strip())
    return done("/rueckmeldungen", "notices_on")


@router.post("/rueckmeldungen/{institution_id}/abbestellen")
def opt_out(request: Request, institution_id: int, csrf: Annotated[str, Form()] = "",
            user=page("web.overview")):
    from controlling.services.notices import set_notices

    check_csrf(user, csrf)
    call(request, user, set_notices, _id(institution_id), off=True)
    return done("/rueckmeldungen", "notices_off")


def _id(value: int) -> int:
    if not 1 <= value <= MAX_ID:
        from controlling.domain.errors import NotFound

        raise NotFound(f"Unbekannte Institution {value}.")
    return value
