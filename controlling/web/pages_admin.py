"""Admins: users (add with an initial password, change role or department, deactivate, reset
the password) and the sign-in log."""

from typing import Annotated

from fastapi import APIRouter, Form, Request

from controlling.web.deps import call, check_csrf, page
from controlling.web.pages import done, render

router = APIRouter(include_in_schema=False)
USERS = "/verwaltung/benutzer"


@router.get(USERS)
def users(request: Request, user=page("user.manage")):
    from controlling.services.setup import list_departments, list_users

    return render(request, "users.html", {"users": call(request, user, list_users),
                                          "departments": call(request, user,
                                                              list_departments)})


@router.post(USERS)
def add(request: Request, csrf: Annotated[str, Form()] = "",
        login: Annotated[str, Form(max_length=200)] = "",
        name: Annotated[str, Form(max_length=400)] = "",
        role: Annotated[str, Form()] = "", department: Annotated[str, Form()] = "",
        password: Annotated[str, Form(max_length=1000)] = "", user=page("user.manage")):
    from controlling.services.accounts import set_password
    from controlling.services.setup import add_user

    check_csrf(user, csrf)
    if password:  # check the password before the user exists: all or nothing
        from controlling.domain.identity import check_new_password

        check_new_password(password, login=login)
    created = call(request, user, add_user, new_login=login, name=name or login, role=role,
                   department=department or None)
    if password:
        call(request, user, set_password, created["login"], new=password)
    return done(USERS, "user_added")


@router.post(USERS + "/{login}/aendern")
def change(request: Request, login: str, csrf: Annotated[str, Form()] = "",
           role: Annotated[str, Form()] = "", department: Annotated[str, Form()] = "",
           user=page("user.manage")):
    from controlling.services.accounts import change_user

    check_csrf(user, csrf)
    call(request, user, change_user, login, role=role or None,
         department=department or None)
    return done(USERS, "user_changed")


@router.post(USERS + "/{login}/deaktivieren")
def deactivate(request: Request, login: str, csrf: Annotated[str, Form()] = "",
               user=page("user.manage")):
    from controlling.services.accounts import deactivate_user

    check_csrf(user, csrf)
    call(request, user, deactivate_user, login)
    return done(USERS, "user_deactivated")


@router.post(USERS + "/{login}/passwort")
def reset_password(request: Request, login: str, csrf: Annotated[str, Form()] = "",
                   password: Annotated[str, Form(max_length=1000)] = "",
                   user=page("user.manage")):
    from controlling.services.accounts import set_password

    check_csrf(user, csrf)
    call(request, user, set_password, login, new=password)
    return done(USERS, "password_reset")


@router.get("/verwaltung/anmeldungen")
def sign_ins(request: Request, seite: int = 1, user=page("user.manage")):
    from controlling.services.accounts import sign_in_log

    page_number = max(1, min(seite, 10**6))
    rows = call(request, user, sign_in_log, limit=100, offset=(page_number - 1) * 100)
    return render(request, "sign_ins.html", {"rows": rows, "page": page_number})
