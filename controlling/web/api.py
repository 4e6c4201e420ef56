"""The JSON API under /api/v1 (CLI.md, "Web API"): bearer tokens of `user token create`, the
same services, permissions, refusals and JSON as the command line's --format json."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field

from controlling.web.deps import client_address, state


def known_query_only(request: Request) -> None:
    """Refuse query parameters the operation does not have (a typo like `?statuss=` would
    otherwise silently give the unfiltered list)."""
    route = request.scope.get("route")
    known = {param.alias for param in getattr(getattr(route, "dependant", None),
                                              "query_params", [])}
    unknown = sorted(set(request.query_params) - known)
    if unknown:
        from controlling.domain.errors import InvalidInput

        allowed = ", ".join(sorted(known)) or "keine"
        raise InvalidInput(f"Unbekannter Abfrageparameter '{unknown[0][:60]}' (erlaubt: "
                           f"{allowed}).")


router = APIRouter(prefix="/api/v1", tags=["API"], dependencies=[Depends(known_query_only)])
Number = Annotated[int, Path(ge=1, le=2_147_483_647, description="Nummer der Empfehlung")]
Text = Annotated[str | None, Field(default=None, max_length=10000)]


class Refusal(BaseModel):
    error: str = Field(description="Der Grund, deutsch, eine Zeile.")


REFUSALS = {status: {"model": Refusal} for status in (401, 403, 404, 409, 422)}


class StepBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    indicator: Annotated[str | None, Field(default=None, max_length=120)] = None
    year: Annotated[int | None, Field(default=None, ge=1900, le=2200)] = None
    note: Text = None
    reason: Text = None
    on: date | None = None
    correction: Annotated[str | None, Field(default=None, max_length=250,
                                            description="wie --correction")] = None
    version: Annotated[int | None, Field(default=None, ge=1, le=2_147_483_647,
                                         description="wie --expect-version")] = None


class ProgressBody(BaseModel):
    model_config = ConfigDict(extra="forbid")
    quarter: Annotated[str, Field(max_length=7, examples=["2024-Q2"])]
    light: Annotated[str, Field(max_length=16, examples=["green"])]
    note: Annotated[str, Field(max_length=10000)]
    on: date | None = None
    correction: Annotated[str | None, Field(default=None, max_length=250,
                                            description="wie --correction")] = None
    version: Annotated[int | None, Field(default=None, ge=1, le=2_147_483_647)] = None


BEARER = HTTPBearer(auto_error=False, scheme_name="Token",
                    description="Ein Token von 'controlling user token create'.")


def api_login(request: Request,
              _credentials: Annotated[HTTPAuthorizationCredentials | None,
                                      Depends(BEARER)] = None) -> str:
    """The login of the bearer token (401 without or with an invalid one). The HTTPBearer
    dependency only declares the scheme in the OpenAPI document; the check is here."""
    from controlling.services.identity import api_user

    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    login = api_user(state(request).uow, token.strip() if scheme.lower() == "bearer" else None,
                     client_address(request))
    request.state.api_login = login
    return login


ApiLogin = Annotated[str, Depends(api_login)]


def run(request: Request, login: str, service, *args, **kwargs):
    return service(state(request).uow(), login, *args, **kwargs)


@router.get("/recommendations", responses=REFUSALS)
def recommendations(request: Request, login: ApiLogin, status: str | None = None,
                    district: str | None = None, department: str | None = None) -> list[dict]:
    """Die Empfehlungen, wie `recommendation list --format json`."""
    from controlling.services.recommendations import list_entry, list_recommendations

    rows = run(request, login, list_recommendations, status=status, district=district,
               department=department)
    return [list_entry(r) for r in rows]


@router.get("/recommendations/{number}", responses=REFUSALS)
def recommendation(request: Request, login: ApiLogin, number: Number) -> dict:
    """Eine Empfehlung mit Verlauf und Sachständen, wie `recommendation show N --format json`."""
    from controlling.services.recommendations import show_recommendation

    return run(request, login, show_recommendation, number)


def _step(request: Request, login: str, number: int, action: str, body: StepBody) -> dict:
    from controlling.services.recommendations import change_status, show_recommendation

    note = body.reason if action == "reject" else body.note
    if action == "reject" and body.reason is None:
        note = body.note
    run(request, login, change_status, number, action, note=note, on=body.on,
        indicator=body.indicator, year=body.year, expected_version=body.version,
        correction=body.correction)
    return run(request, login, show_recommendation, number)


@router.post("/recommendations/{number}/support", responses=REFUSALS)
def support(request: Request, login: ApiLogin, number: Number, body: StepBody) -> dict:
    """vorgeschlagen → statistisch gestützt (`indicator`, optional `year`)."""
    return _step(request, login, number, "support", body)


@router.post("/recommendations/{number}/approve", responses=REFUSALS)
def approve(request: Request, login: ApiLogin, number: Number, body: StepBody) -> dict:
    """Freigeben (nur die Bereichsleitung des zuständigen Bereichs)."""
    return _step(request, login, number, "approve", body)


@router.post("/recommendations/{number}/implement", responses=REFUSALS)
def implement(request: Request, login: ApiLogin, number: Number, body: StepBody) -> dict:
    """freigegeben → umgesetzt (`note`)."""
    return _step(request, login, number, "implement", body)


@router.post("/recommendations/{number}/reject", responses=REFUSALS)
def reject(request: Request, login: ApiLogin, number: Number, body: StepBody) -> dict:
    """Ablehnen (`reason`)."""
    return _step(request, login, number, "reject", body)


@router.post("/recommendations/{number}/progress", responses=REFUSALS)
def progress(request: Request, login: ApiLogin, number: Number, body: ProgressBody) -> dict:
    """Ein Sachstand mit Ampel für ein Quartal."""
    from controlling.services.recommendations import record_progress, show_recommendation

    run(request, login, record_progress, number, quarter=body.quarter, light=body.light,
        note=body.note, on=body.on, expected_version=body.version,
        correction=body.correction)
    return run(request, login, show_recommendation, number)


@router.get("/reports/quarterly/{quarter}", responses=REFUSALS)
def quarterly(request: Request, login: ApiLogin,
              quarter: Annotated[str, Path(max_length=7, examples=["2024-Q1"])]) -> dict:
    """Der Quartalsbericht als JSON, wie `report quarterly --format json`."""
    from controlling.services.publication import quarterly_document
    from controlling.services.quarterly import parse_quarter

    return run(request, login, quarterly_document, parse_quarter(quarter)).data
