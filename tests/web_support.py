"""Helpers of the web and API tests: the application on a test database, browsers (starlette's
TestClient, redirects not followed), the team with passwords of their own, signing in the way
a browser does (the sign-in form's CSRF field and cookie), recommendations in a given status,
and a dump of the tables a refused request must leave alone."""

import html
import re
from datetime import date
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from sqlalchemy import select
from starlette.testclient import TestClient

from tests.conftest import ADMIN, TEAM

SECRET = "tests-only-secret-key-" + "x" * 32
INITIAL = "Initial-Passwort-2024"
CREATED_ON = date(2024, 1, 10)
APPROVED_ON = date(2024, 2, 1)
# The roles of the access matrices and the login acting in each ("own_head": the head of 3-1,
# the department of every recommendation the matrices change; "other_head": the head of 3-2).
LOGINS = {"planner": "planer", "admin": ADMIN, "own_head": "bl31", "other_head": "bl32",
          "committee": "ausschuss"}
INDICATORS = """indicator,district,year,value,label,higher_is_worse
sgb2,Osterfeld,2023,14,SGB-II-Quote,true
sgb2,stadtweit,2023,10,,
"""


def password_of(login: str) -> str:
    """The own password of a team member (at least 10 characters, not the login)."""
    return f"Eigenes-Passwort-{login}"


def cheap_hashing(monkeypatch) -> None:
    """Argon2id at its smallest cost for the passwords these tests set (a hash carries its own
    parameters, so checking them is cheap too): what is tested is who gets in, not how long
    an attacker would need; production keeps argon2-cffi's profile."""
    from argon2 import PasswordHasher

    from controlling.services import credentials

    hasher = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1)
    monkeypatch.setattr(credentials, "_hasher", lambda: hasher)


def web_app(url: str):
    from controlling.web.app import create_app

    return create_app(url, secret=SECRET)


def browser(app, *, https: bool = False) -> TestClient:
    """A browser of its own (cookie jar); redirects are answers to look at, not to follow."""
    return TestClient(app, base_url="https://testserver" if https else "http://testserver",
                      follow_redirects=False)


def add_team(uow) -> None:
    """planer (planner), bl31 (head of 3-1), bl32 (head of 3-2), ausschuss (committee)."""
    from controlling.services.setup import add_user

    for login, role, department in TEAM:
        add_user(uow(), ADMIN, new_login=login, name=f"Name {login}", role=role,
                 department=department)


def give_own_password(uow, login: str, password: str | None = None) -> str:
    """The way it happens: the admin sets an initial password, the user chooses their own
    with it (the admin, who has none yet, chooses theirs directly)."""
    from controlling.services.accounts import set_password

    password = password or password_of(login)
    if login == ADMIN:
        set_password(uow(), ADMIN, ADMIN, new=password)
    else:
        set_password(uow(), ADMIN, login, new=INITIAL)
        set_password(uow(), login, login, new=password, current=INITIAL)
    return password


def give_team_passwords(uow) -> None:
    for login in LOGINS.values():
        give_own_password(uow, login)


def hidden(page: str, name: str) -> str:
    """The value of the first (hidden) input called `name` of an HTML page."""
    found = re.search(rf'<input type="hidden" name="{re.escape(name)}" value="([^"]*)"', page)
    assert found, f"kein Feld {name} in der Seite:\n{page[:2000]}"
    return html.unescape(found.group(1))


def sign_in(client: TestClient, login: str, password: str | None = None,
            next_path: str | None = None):
    """Fill in and send the sign-in form; the answer (303 on success, 401 with the form)."""
    form = client.get("/", params={"next": next_path} if next_path else None)
    assert form.status_code == 200, form.text
    return client.post("/anmelden", data={
        "login": login, "password": password_of(login) if password is None else password,
        "csrf": hidden(form.text, "csrf"), "next": hidden(form.text, "next")})


def signed_in(app, login: str, password: str | None = None, *, https: bool = False):
    client = browser(app, https=https)
    answer = sign_in(client, login, password)
    assert answer.status_code == 303, answer.text
    return client


def csrf_of(client: TestClient) -> str:
    """The session's CSRF token, as the forms of any page carry it."""
    page = client.get("/passwort")
    assert page.status_code == 200, page.text
    return hidden(page.text, "csrf")


def session_key(client: TestClient) -> str | None:
    from controlling.web.deps import SESSION_COOKIE

    return client.cookies.get(SESSION_COOKIE)


def cookie_headers(response, name: str) -> list[str]:
    return [h for h in response.headers.get_list("set-cookie") if h.startswith(f"{name}=")]


def sign_in_target(response) -> str | None:
    """For a redirect to the sign-in form: the page it will return to ('' for none); None when
    the answer is no such redirect."""
    if response.status_code != 303:
        return None
    parts = urlsplit(response.headers["location"])
    if parts.path != "/" or parts.netloc:
        return None
    query = parse_qs(parts.query)
    if set(query) - {"next"}:
        return None
    return query.get("next", [""])[0]


def bearer(token: str | None) -> dict:
    return {"Authorization": f"Bearer {token}"} if token is not None else {}


def token_of(uow, login: str) -> str:
    from controlling.services.accounts import create_token

    return create_token(uow(), login, name="Web-Tests")["token"]


def add_indicators(uow, folder: Path) -> None:
    """sgb2: Osterfeld 14 against 10 city-wide in 2023 (worse: statistical support works)."""
    from controlling.services.imports import import_indicators

    path = folder / "indikatoren.csv"
    path.write_text(INDICATORS, encoding="utf-8")
    import_indicators(uow(), "planer", path)


def recommendation(uow, number: int, status: str = "proposed", *, kind: str = "new",
                   title: str | None = None, district: str = "Osterfeld",
                   department: str = "3-1") -> int:
    """A recommendation in `status` (proposed, approved or statistically_supported); its
    number. Needs the team (and the indicators for statistically_supported)."""
    from controlling.services.recommendations import add_recommendation, change_status

    head = {"3-1": "bl31", "3-2": "bl32"}.get(department)
    if status == "approved" and kind == "new":
        kind = "extension"
    add_recommendation(uow(), "planer", number=number, title=title or f"Empfehlung {number}",
                       district=district, department=department, kind=kind, on=CREATED_ON)
    if status == "statistically_supported":
        change_status(uow(), "planer", number, "support", indicator="sgb2", on=APPROVED_ON)
    elif status == "approved":
        change_status(uow(), head, number, "approve", on=APPROVED_ON)
    elif status != "proposed":
        raise ValueError(status)
    return number


DUMPED = ("recommendations", "status_changes", "progress_updates", "supersessions", "users",
          "api_tokens", "account_events")


def dump(engine) -> dict[str, list[tuple]]:
    """The rows a refused request must not change: recommendations and their history, users,
    tokens, account events, and which web sessions are open (not when they were last used)."""
    from controlling.data.models import Base, WebSession

    result = {}
    with engine.connect() as connection:
        for name in DUMPED:
            table = Base.metadata.tables[name]
            result[name] = sorted((tuple(r) for r in connection.execute(select(table))),
                                  key=repr)
        result["web_sessions"] = sorted(tuple(r) for r in connection.execute(
            select(WebSession.id, WebSession.user_id, WebSession.ended_at,
                   WebSession.ended_reason)))
    return result


def sign_in_rows(engine) -> list[dict]:
    from controlling.data.models import SignIn

    with engine.connect() as connection:
        return [dict(r._mapping) for r in connection.execute(
            select(SignIn.recorded_at, SignIn.login, SignIn.channel, SignIn.outcome,
                   SignIn.address, SignIn.detail).order_by(SignIn.id))]
