"""Dependencies of every route: the database, the signed-in person (CurrentUser), the page
guard built on the permission table (domain/actors.py), CSRF and the service call."""

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request

from controlling.domain.actors import Actor, require
from controlling.domain.vocabulary import Role
from controlling.services.credentials import same
from controlling.services.web_sessions import SignedIn

SESSION_COOKIE = "controlling_session"
SIGNIN_COOKIE = "controlling_signin"  # CSRF of the sign-in form (there is no session yet)
OPEN_WHILE_INITIAL = ("/passwort", "/abmelden")


@dataclass
class WebState:
    engine: object
    secret: str
    templates: object

    def uow(self):
        from controlling.data.unit_of_work import UnitOfWork

        return UnitOfWork(self.engine)


class NeedsSignIn(Exception):
    """Not signed in: pages send the browser to the sign-in form."""


class MustChangePassword(Exception):
    """Signed in with an initial password: only the change form is open."""


class CsrfRefused(Exception):
    """A form without the session's CSRF token."""


def state(request: Request) -> WebState:
    return request.app.state.web


def client_address(request: Request) -> str | None:
    return request.client.host if request.client else None


def optional_user(request: Request) -> SignedIn | None:
    if not hasattr(request.state, "user"):
        from controlling.services.web_sessions import current

        request.state.user = current(state(request).uow(), request.cookies.get(SESSION_COOKIE))
    return request.state.user


def current_user(request: Request) -> SignedIn:
    user = optional_user(request)
    if user is None:
        raise NeedsSignIn()
    if user.must_change_password and request.url.path not in OPEN_WHILE_INITIAL:
        raise MustChangePassword()
    return user


CurrentUser = Annotated[SignedIn, Depends(current_user)]


def actor_of(user: SignedIn) -> Actor:
    return Actor(login=user.login, role=Role(user.role), department=user.department)


def page(permission: str):
    """A dependency: the signed-in person, if the permission table lets them see the page."""

    def guard(user: CurrentUser) -> SignedIn:
        require(actor_of(user), permission)
        return user

    return Depends(guard)


def check_csrf(user: SignedIn, token: str | None) -> None:
    if not same(user.csrf, token):
        raise CsrfRefused()


def call(request: Request, user: SignedIn | str, service, *args, **kwargs):
    """Call a service as the signed-in person with a fresh unit of work."""
    login = user if isinstance(user, str) else user.login
    return service(state(request).uow(), login, *args, **kwargs)


HOME = {"planner": "/uebersicht", "admin": "/uebersicht", "department_head": "/freigabe",
        "committee": "/berichte"}
