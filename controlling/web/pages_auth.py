"""Sign-in, sign-out, change of password. One message for an unknown login and a wrong
password; the session key is new at every sign-in (no fixation); sign-out is a POST with the
CSRF token."""

import hashlib
import hmac
import secrets
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse

from controlling.domain.identity import SESSION_ABSOLUTE, AuthenticationFailed, safe_next
from controlling.web.deps import (
    HOME,
    SESSION_COOKIE,
    SIGNIN_COOKIE,
    CsrfRefused,
    CurrentUser,
    check_csrf,
    client_address,
    optional_user,
    state,
)
from controlling.web.pages import done, render

router = APIRouter(include_in_schema=False)


def _signin_token(request: Request) -> str:
    nonce = secrets.token_urlsafe(24)
    mac = hmac.new(state(request).secret.encode(), nonce.encode(), hashlib.sha256).hexdigest()
    return f"{nonce}.{mac}"


def _signin_token_valid(request: Request, field: str | None) -> bool:
    cookie = request.cookies.get(SIGNIN_COOKIE)
    if not cookie or not field or not hmac.compare_digest(cookie, field) or "." not in cookie:
        return False
    nonce, mac = cookie.rsplit(".", 1)
    expected = hmac.new(state(request).secret.encode(), nonce.encode(), hashlib.sha256)
    return hmac.compare_digest(mac, expected.hexdigest())


def _secure(request: Request) -> bool:
    return request.url.scheme == "https"


def _sign_in_form(request: Request, *, message: str | None = None, login: str = "",
                  next_path: str = "/", status: int = 200):
    token = _signin_token(request)
    response = render(request, "signin.html", {"signin_csrf": token, "message": message,
                                               "login": login, "next": next_path},
                      status=status)
    response.set_cookie(SIGNIN_COOKIE, token, httponly=True, samesite="lax",
                        secure=_secure(request), path="/")
    return response


@router.get("/")
def home(request: Request, next: str | None = None):
    user = optional_user(request)
    if user is None:
        return _sign_in_form(request, next_path=safe_next(next))
    if user.must_change_password:
        return RedirectResponse("/passwort", status_code=303)
    return RedirectResponse(HOME.get(user.role, "/berichte"), status_code=303)


@router.post("/anmelden")
def sign_in(request: Request, login: Annotated[str, Form(max_length=200)] = "",
            password: Annotated[str, Form(max_length=1000)] = "",
            csrf: Annotated[str, Form()] = "", next: Annotated[str, Form()] = "/"):
    from controlling.services.web_sessions import sign_in as open_session

    if not _signin_token_valid(request, csrf):
        raise CsrfRefused()
    try:
        key = open_session(state(request).uow, login, password, client_address(request))
    except AuthenticationFailed as error:
        return _sign_in_form(request, message=str(error), login=login,
                             next_path=safe_next(next), status=401)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(SESSION_COOKIE, key, httponly=True, samesite="lax",
                        secure=_secure(request), path="/",
                        max_age=int(SESSION_ABSOLUTE.total_seconds()))
    response.delete_cookie(SIGNIN_COOKIE, path="/")
    return response


@router.post("/abmelden")
def sign_out(request: Request, user: CurrentUser, csrf: Annotated[str, Form()] = ""):
    from controlling.services.web_sessions import sign_out as end_session

    check_csrf(user, csrf)
    end_session(state(request).uow(), request.cookies.get(SESSION_COOKIE),
                client_address(request))
    response = RedirectResponse("/?erledigt=signed_out", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/passwort")
def password_form(request: Request, user: CurrentUser):
    return render(request, "password.html", {"initial": user.must_change_password})


@router.post("/passwort")
def change_password(request: Request, user: CurrentUser,
                    csrf: Annotated[str, Form()] = "",
                    current: Annotated[str, Form(max_length=1000)] = "",
                    new: Annotated[str, Form(max_length=1000)] = "",
                    repeat: Annotated[str, Form(max_length=1000)] = ""):
    from controlling.domain.errors import DomainError
    from controlling.services.accounts import set_password

    check_csrf(user, csrf)
    try:
        if new != repeat:
            from controlling.domain.errors import InvalidInput

            raise InvalidInput("Die beiden neuen Passwörter stimmen nicht überein.")
        set_password(state(request).uow(), user.login, user.login, new=new, current=current,
                     address=client_address(request), channel="web",
                     keep_session=user.session_id)
    except DomainError as error:
        from controlling.web.errors import status_of

        return render(request, "password.html", {"initial": user.must_change_password,
                                                 "message": str(error)},
                      status=status_of(error))
    return done(HOME.get(user.role, "/"), "password")
