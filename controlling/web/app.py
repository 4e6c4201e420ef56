"""The application factory: routers, static files, security headers, and the one place that
turns refusals into German pages (or JSON under /api/)."""

import time
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, RedirectResponse
from fastapi.staticfiles import StaticFiles
from sqlalchemy.exc import DataError, IntegrityError, OperationalError
from starlette.exceptions import HTTPException

from controlling.domain.errors import DomainError
from controlling.web.deps import (
    CsrfRefused,
    MustChangePassword,
    NeedsSignIn,
    WebState,
    client_address,
)
from controlling.web.errors import status_of

STATIC = Path(__file__).resolve().parent / "static"

SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"),
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
}

UNREADABLE_BODY = ("Ungültige Eingabe: der Inhalt der Anfrage ist nicht lesbar (erwartet JSON "
                   "bzw. ein Formular, in UTF-8).")
HTTP_TEXTS = {
    404: "Diese Seite gibt es nicht.",
    405: "Diese Anfrage ist hier nicht erlaubt.",
}


def create_app(db_url: str, *, secret: str | None = None) -> FastAPI:
    from controlling.data.database import check_schema_current, make_engine
    from controlling.web import (
        api,
        pages_admin,
        pages_auth,
        pages_head,
        pages_notices,
        pages_planner,
        pages_reports,
    )
    from controlling.web.render import environment
    from controlling.web.settings import secret_key

    engine = make_engine(db_url, must_exist=True)  # serving never creates a database
    check_schema_current(engine)
    app = FastAPI(title="controlling", version="1", openapi_url="/api/v1/openapi.json",
                  docs_url=None, redoc_url=None,
                  description="Web-API des Controllings der Handlungsempfehlungen. "
                              "Authorization: Bearer TOKEN ('controlling user token create').")
    app.state.web = WebState(engine=engine, secret=secret or secret_key(),
                             templates=environment())
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    for module in (pages_auth, pages_head, pages_planner, pages_notices, pages_reports,
                   pages_admin, api):
        app.include_router(module.router)
    _install_handlers(app)

    @app.middleware("http")
    async def security_headers(request: Request, call_next):
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if not request.url.path.startswith("/static/"):
            response.headers.setdefault("Cache-Control", "no-store")
        return response

    @app.middleware("http")
    async def operations_log(request: Request, call_next):
        started = time.monotonic()
        response = await call_next(request)
        _log_operation(request, response.status_code, started)
        return response

    return app


def _log_operation(request: Request, status: int, started: float) -> None:
    """A line in the operations log (controlling/oplog.py) for every request that changes
    something, downloads a file (PDF, CSV, JSON export) or is refused: the route's pattern
    (`POST /api/v1/recommendations/{number}/approve`), never form fields or query values."""
    from controlling import oplog

    path = request.url.path
    if path.startswith("/static/"):
        return
    download = path.endswith((".pdf", ".csv", ".xlsx", ".geojson"))
    if request.method in ("GET", "HEAD") and status < 400 and not download:
        return
    route = request.scope.get("route")
    user = getattr(request.state, "user", None)
    login = user.login if user else getattr(request.state, "api_login", None)
    oplog.record(f"{request.method} {getattr(route, 'path', path)}",
                 "ok" if status < 400 else "refused", login=login,
                 channel="api" if is_api(request) else "web",
                 message=getattr(request.state, "refusal", None), status=status,
                 duration_ms=(time.monotonic() - started) * 1000)


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def refusal(request: Request, status: int, message: str):
    """The German refusal: JSON {"error"} under /api/, else the error page. 401 and 403 are
    written to the sign-in log."""
    request.state.refusal = message  # for the operations log
    if status in (401, 403):
        _log_refusal(request, status, message)
    if is_api(request):
        return JSONResponse({"error": message}, status_code=status)
    from controlling.web.pages import render

    return render(request, "error.html", {"message": message, "status": status},
                  status=status)


def _log_refusal(request: Request, status: int, message: str) -> None:
    from controlling.services.identity import log_refusal

    user = getattr(request.state, "user", None)
    login = user.login if user else getattr(request.state, "api_login", "") or ""
    try:
        log_refusal(request.app.state.web.uow(), login=login,
                    channel="api" if is_api(request) else "web",
                    outcome="refused" if status == 403 else "failure",
                    address=client_address(request),
                    detail=f"{request.method} {request.url.path}: {message}")
    except (OperationalError, DataError):  # the log must not turn a refusal into an error
        pass


def _install_handlers(app: FastAPI) -> None:
    @app.exception_handler(NeedsSignIn)
    async def needs_sign_in(request: Request, _error):
        if is_api(request):
            return refusal(request, 401, "Anmeldung erforderlich.")
        from urllib.parse import quote

        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        where = "/" if request.method != "GET" or target == "/" else f"/?next={quote(target)}"
        return RedirectResponse(where, status_code=303)

    @app.exception_handler(MustChangePassword)
    async def must_change(_request: Request, _error):
        return RedirectResponse("/passwort", status_code=303)

    @app.exception_handler(CsrfRefused)
    async def csrf_refused(request: Request, _error):
        return refusal(request, 403, "Sicherheitsprüfung fehlgeschlagen: das Formular ist "
                                     "abgelaufen oder kam nicht von dieser Anwendung; bitte "
                                     "die Seite neu laden und erneut senden.")

    @app.exception_handler(DomainError)
    async def domain_error(request: Request, error: DomainError):
        return refusal(request, status_of(error), str(error))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, error: RequestValidationError):
        return refusal(request, 422, _validation_text(error))

    @app.exception_handler(HTTPException)
    async def http_error(request: Request, error: HTTPException):
        if error.status_code == 400:  # FastAPI: a body it cannot read (e.g. JSON not UTF-8)
            return refusal(request, 422, UNREADABLE_BODY)
        text = HTTP_TEXTS.get(error.status_code, str(error.detail))
        return refusal(request, error.status_code, text)

    @app.exception_handler(IntegrityError)
    async def integrity(request: Request, _error):
        return refusal(request, 409, "Konflikt: jemand anderes hat gleichzeitig denselben "
                                     "Datensatz angelegt; bitte erneut versuchen.")

    @app.exception_handler(DataError)
    async def data_error(request: Request, _error):
        return refusal(request, 422, "Die Datenbank lehnt einen Wert ab (zu lang, zu groß "
                                     "oder ungültige Zeichen).")

    @app.exception_handler(OperationalError)
    async def operational(request: Request, error: OperationalError):
        from controlling.data.database import BUSY, is_busy

        if is_busy(error):  # another request or command holds the lock
            return refusal(request, 503, BUSY)
        return refusal(request, 503, "Die Datenbank ist gerade nicht erreichbar; bitte "
                                     "gleich erneut versuchen.")


def _validation_text(error: RequestValidationError) -> str:
    problems = []
    for item in error.errors()[:5]:
        where = ".".join(str(p) for p in item.get("loc", ()) if p not in ("body", "query",
                                                                          "path", "form"))
        problems.append(f"{where or 'Anfrage'}: {_german(item)}")
    return "Ungültige Eingabe: " + "; ".join(problems) + "."


def _german(item: dict) -> str:
    kind = item.get("type", "")
    if kind == "missing":
        return "fehlt"
    if kind.startswith("int"):
        return "keine gültige ganze Zahl"
    if kind.startswith("date"):
        return "kein gültiges Datum (JJJJ-MM-TT)"
    if kind == "string_too_long":
        limit = (item.get("ctx") or {}).get("max_length")
        return f"zu lang (höchstens {limit} Zeichen)" if limit else "zu lang"
    if kind.startswith("string"):
        return "kein gültiger Text"
    if kind in ("model_attributes_type", "dict_type", "json_invalid"):
        return "erwartet ein JSON-Objekt"
    return "ungültiger Wert"
