"""PostgreSQL roles for a city that runs the program with two roles (docs/integrity.md): the
owner of the schema runs `controlling init` (the migrations); the application role the program
uses every day may read and write, but not UPDATE, DELETE or TRUNCATE the history, and owns
nothing, so it can neither change the schema nor drop or disable the triggers."""

import re

from controlling.data.models import HISTORY_TABLES, Base
from controlling.domain.errors import InvalidInput
from controlling.domain.integrity import CHAIN_TABLE, HEAD_TABLE

ROLE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")
APPEND_ONLY = (*HISTORY_TABLES, CHAIN_TABLE)


def _role(name: str) -> str:
    if not ROLE_NAME.match(name or ""):
        raise InvalidInput(f"Ungültiger Rollenname '{name}': erlaubt sind Kleinbuchstaben, "
                           "Ziffern und '_' (höchstens 63 Zeichen, nicht mit einer Ziffer "
                           "beginnend).")
    return f'"{name}"'


def _tables(names) -> str:
    return ", ".join(f'"{name}"' for name in names)


def grant_statements(app_role: str) -> list[str]:
    """The SQL the schema's owner runs after every `controlling init` that migrated: the
    application role's privileges on exactly the tables of the newest schema."""
    app = _role(app_role)
    names = [t.name for t in Base.metadata.sorted_tables]
    writable = [n for n in names if n not in APPEND_ONLY and n != HEAD_TABLE]
    return [
        "BEGIN",
        "REVOKE CREATE ON SCHEMA public FROM PUBLIC",
        f"REVOKE ALL ON ALL TABLES IN SCHEMA public FROM {app}",
        f"REVOKE ALL ON ALL SEQUENCES IN SCHEMA public FROM {app}",
        f"GRANT USAGE ON SCHEMA public TO {app}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE {_tables(writable)} TO {app}",
        f"GRANT SELECT, INSERT ON TABLE {_tables(APPEND_ONLY)} TO {app}",
        f'GRANT SELECT, UPDATE ON TABLE "{HEAD_TABLE}" TO {app}',
        f'GRANT SELECT ON TABLE "alembic_version" TO {app}',
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {app}",
        "COMMIT",
    ]


def grant_script(app_role: str, owner_role: str) -> str:
    owner, app = _role(owner_role), _role(app_role)
    lines = [
        f"-- Rollen für controlling: {owner_role} besitzt das Schema und führt 'controlling init'",
        f"-- aus; {app_role} ist die Rolle des täglichen Betriebs (--db mit {app_role}).",
        "-- Einmalig als Superuser (Passwörter nach Wahl der Stadt):",
        f"--   CREATE ROLE {owner} LOGIN PASSWORD '...';",
        f"--   CREATE ROLE {app} LOGIN PASSWORD '...';",
        f"--   CREATE DATABASE controlling OWNER {owner};",
        f"-- Dann als {owner_role}: 'controlling --db postgresql+psycopg://{owner_role}@HOST/"
        "controlling init',",
        f"-- und danach (nach jedem init, das migriert hat) dieses Skript als {owner_role}:",
        f"--   controlling db roles --app-role {app_role} --owner-role {owner_role} | psql "
        f"-U {owner_role} controlling",
        f"-- {app_role} darf den Verlauf nur lesen und ergänzen ({', '.join(APPEND_ONLY)}),",
        "-- nichts am Schema ändern und keine Trigger abschalten.",
    ]
    return "\n".join([*lines, *(f"{s};" for s in grant_statements(app_role)), ""])
