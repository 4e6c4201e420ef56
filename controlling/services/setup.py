"""Set-up and reference data: init, users, departments, districts."""

from controlling.data.models import Department, District, Topic, User
from controlling.domain import limits, reference
from controlling.domain.actors import require
from controlling.domain.errors import Conflict, DomainError, InvalidInput, NotFound
from controlling.domain.identity import check_new_login, check_new_password
from controlling.domain.vocabulary import Role, parse_choice
from controlling.services.accounts import account_event
from controlling.services.common import actor_of, now
from controlling.services.credentials import hash_password


def load_reference_data(uow) -> int:
    """Add the missing districts, departments and topics of DOMAIN.md; return how many."""
    added = 0
    districts = uow.repo.district_by_name()
    for name in (*reference.DISTRICTS, reference.CITYWIDE):
        if name.lower() not in districts:
            uow.session.add(District(name=name, is_citywide=name == reference.CITYWIDE))
            added += 1
    departments = uow.repo.department_by_code()
    for code, name, external in reference.DEPARTMENTS:
        if code.lower() not in departments:
            departments[code.lower()] = Department(code=code, name=name, external=external)
            uow.session.add(departments[code.lower()])
            added += 1
    topics = uow.repo.topic_by_name()
    for name, codes in reference.TOPICS:
        if name.lower() not in topics:
            uow.session.add(
                Topic(name=name, departments=[departments[c.lower()] for c in codes])
            )
            added += 1
    uow.flush()
    return added


def initialise(engine, uow_factory, login: str, demo: bool = False,
               password: str | None = None) -> dict:
    """Create or upgrade the database, load reference data, create the first admin (with
    `password` as their own password, when given). On a database with users, `login` must be
    a proven admin (the command line proves it before)."""
    from controlling.data.database import (
        check_revision_known,
        current_revision,
        table_names,
        upgrade_to_head,
    )

    before = current_revision(engine)
    if before is None and table_names(engine):
        raise DomainError(
            "Die Datenbank enthält schon Tabellen, aber keine von diesem Programm: bitte eine "
            "leere Datenbank angeben."
        )
    if before is not None:
        check_revision_known(before)
        _require_admin_before_upgrade(engine, login)
    upgrade_to_head(engine)
    after = current_revision(engine)
    result = {"revision_before": before, "revision": after, "admin_created": None,
              "reference_added": 0, "demo": None}
    with uow_factory() as uow:
        if uow.repo.user_count() == 0:
            admin = User(login=check_new_login(login), name=login, role=Role.ADMIN,
                         created_at=now())
            if password is not None:
                admin.password_hash = hash_password(check_new_password(password, login=login))
                admin.password_changed_at = admin.created_at
            uow.session.add(admin)
            uow.flush()
            account_event(uow, admin, "created", None, "erster Admin (init)")
            result["admin_created"] = login
        else:
            require(actor_of(uow, login), "init")
        result["reference_added"] = load_reference_data(uow)
        if demo:
            from controlling.services.demo import load_demo

            result["demo"] = load_demo(uow, login)
        uow.commit()
    if demo:
        from controlling.services.demo_process import load_demo_process

        result["demo"]["process"] = load_demo_process(uow_factory)
    return result


def _require_admin_before_upgrade(engine, login: str) -> None:
    """On an existing database only an admin may run init: check before migrating anything.
    Plain SQL, because the schema may still be older than the model."""
    from sqlalchemy import text

    with engine.connect() as connection:
        roles = dict(connection.execute(text("SELECT login, role FROM users")).all())
    if not roles:
        return
    if login not in roles:
        raise NotFound(
            f"Unbekannter Benutzer '{login}'; die Datenbank ist schon eingerichtet, 'init' "
            "darf nur ein Admin ausführen."
        )
    if roles[login] != Role.ADMIN.value:
        from controlling.domain.actors import Actor

        require(Actor(login=login, role=Role(roles[login])), "init")


def add_user(uow, login: str, *, new_login: str, name: str, role: str,
             department: str | None = None, email: str | None = None) -> dict:
    with uow:
        require(actor_of(uow, login), "user.manage")
        parsed_role = parse_choice(Role, role, "Rolle")
        new_login = check_new_login(new_login)
        name = limits.person_name(name)
        existing = uow.repo.find_user(new_login)
        if existing is not None:
            same = "" if existing.login == new_login else f" (als '{existing.login}')"
            raise Conflict(f"Benutzer '{new_login}' gibt es bereits{same}; Logins gelten "
                           "unabhängig von Groß- und Kleinschreibung.")
        dept = None
        if parsed_role == Role.DEPARTMENT_HEAD:
            if not department:
                raise InvalidInput("Eine Bereichsleitung braucht einen Bereich (--department).")
            dept = uow.repo.department(department)
        elif department:
            raise InvalidInput("Nur eine Bereichsleitung (department_head) hat einen Bereich.")
        if email is not None:
            from controlling.services.mail import check_address

            email = check_address(email)
        user = User(login=new_login.strip(), name=name or new_login.strip(), role=parsed_role,
                    department=dept, created_at=now(), email=email)
        uow.session.add(user)
        uow.flush()
        account_event(uow, user, "created", uow.repo.user(login), parsed_role.value)
        view = user_view(user)
        uow.commit()
        return view


def user_view(user: User) -> dict:
    return {
        "login": user.login,
        "name": user.name,
        "role": user.role.value,
        "department": user.department.code if user.department else None,
        "email": user.email,
        "example": bool(user.is_example),
        "active": bool(user.active),
        "has_password": user.password_hash is not None,
        "password_is_initial": bool(user.password_is_initial),
    }


def list_users(uow, login: str) -> list[dict]:
    with uow:
        actor_of(uow, login)
        return [user_view(u) for u in uow.repo.users()]


def list_departments(uow, login: str) -> list[dict]:
    with uow:
        actor_of(uow, login)
        return [
            {"code": d.code, "name": d.name, "external": bool(d.external)}
            for d in uow.repo.departments()
        ]


def list_districts(uow, login: str) -> list[dict]:
    with uow:
        actor_of(uow, login)
        return [{"name": d.name, "citywide": bool(d.is_citywide)} for d in uow.repo.districts()]


def add_department(uow, login: str, *, code: str, name: str, external: bool = False) -> dict:
    with uow:
        require(actor_of(uow, login), "reference.manage")
        code, name = (code or "").strip(), (name or "").strip()
        if not code or not name:
            raise InvalidInput("Code und Name des Bereichs dürfen nicht leer sein.")
        limits.check_length(code, limits.DEPARTMENT_CODE, "Der Code des Bereichs")
        limits.check_length(name, limits.DEPARTMENT_NAME, "Der Name des Bereichs")
        if code.lower() in uow.repo.department_by_code():
            raise Conflict(f"Bereich '{code}' gibt es bereits.")
        uow.session.add(Department(code=code, name=name, external=external))
        uow.commit()
        return {"code": code, "name": name, "external": external}


def add_district(uow, login: str, *, name: str) -> dict:
    with uow:
        require(actor_of(uow, login), "reference.manage")
        name = (name or "").strip()
        if not name:
            raise InvalidInput("Der Name des Sozialraums darf nicht leer sein.")
        limits.check_length(name, limits.DISTRICT_NAME, "Der Name des Sozialraums")
        if name.lower() in uow.repo.district_by_name():
            raise Conflict(f"Sozialraum '{name}' gibt es bereits.")
        uow.session.add(District(name=name, is_citywide=False))
        uow.commit()
        return {"name": name, "citywide": False}


def list_topics(uow, login: str) -> list[dict]:
    with uow:
        actor_of(uow, login)
        return [{"name": t.name} for t in uow.repo.topics()]
