"""What the current state must agree with in its history, as pure rules on plain rows (the
backup encoding; docs/integrity.md). Used by `controlling verify` on the database and by
`import all` on a file before anything is written.

- A recommendation's status is the target of its last status change; its history begins with
  the creation as `proposed` and follows the transition table step by step, each step by
  someone allowed to take it (their role then, from the account events, else their role now).
- Its version: every status change after the creation changes the status and so raises the
  version by one; a progress update raises it when it changes `updated_at` (not when the
  clock shows the same moment), so 1 + changes <= version <= 1 + changes + progress updates.
- A user's role (and department) is the one their last account event gave them.
- A published report's figures and PDF still have their stored SHA-256.
- A supersession names the status change that ended its recommendation as `superseded`.
"""

import base64
from collections import Counter, defaultdict
from datetime import datetime
from itertools import pairwise

from controlling.domain.actors import PLANNING, PLANNING_OR_OWN_HEAD, Actor, describe_who, qualifies
from controlling.domain.integrity import Problem, canonical_json, sha256_hex
from controlling.domain.vocabulary import STATUS_LABELS, Role, Status
from controlling.domain.workflow import TRANSITIONS

FIRST_ADMIN = "erster Admin (init)"  # the detail of init's "created" event (services/setup.py)


def _status(value) -> str:
    try:
        return f"'{STATUS_LABELS[Status(value)]}'"
    except ValueError:
        return f"'{value}'"


def _moment(value) -> datetime:
    return datetime.fromisoformat(value) if isinstance(value, str) else datetime.min


def _state(text: str) -> tuple[str, str | None]:
    """'department_head 3-1' -> ('department_head', '3-1'); 'planner' -> ('planner', None)."""
    role, _, department = text.strip().partition(" ")
    return role, department.strip() or None


class Roles:
    """Who had which role when: the account events' role changes ('changed': 'before →
    after'), else the creation's role ('created'), else the users table as it is now."""

    def __init__(self, users: list[dict], departments: list[dict], events: list[dict]):
        codes = {d["id"]: d["code"] for d in departments}
        self.users = {u["id"]: u for u in users}
        self.now = {u["id"]: (u["role"], codes.get(u["department_id"])) for u in users}
        self.changes: dict[int, list] = defaultdict(list)
        self.created: dict[int, tuple] = {}
        for event in sorted(events, key=lambda e: (_moment(e["recorded_at"]), e["id"])):
            detail = event.get("detail") or ""
            if event["action"] == "changed" and " → " in detail:
                before, after = detail.split(" → ", 1)
                self.changes[event["user_id"]].append(
                    (_moment(event["recorded_at"]), _state(before), _state(after), event["id"]))
            elif event["action"] == "created":
                role = Role.ADMIN.value if detail == FIRST_ADMIN else detail
                if role in {r.value for r in Role}:
                    self.created.setdefault(event["user_id"], (role, event["id"]))

    def at(self, user_id: int, moment) -> tuple[str, str | None] | None:
        changes = self.changes.get(user_id, [])
        earlier = [c for c in changes if c[0] <= _moment(moment)]
        if earlier:
            return earlier[-1][2]
        if changes:
            return changes[0][1]
        return self.now.get(user_id)

    def actor(self, user_id: int, moment) -> Actor | None:
        state = self.at(user_id, moment)
        user = self.users.get(user_id)
        if state is None or user is None:
            return None
        try:
            return Actor(login=user["login"], role=Role(state[0]), department=state[1])
        except ValueError:
            return None


def check_users(roles: Roles) -> list[Problem]:
    problems = []
    for user_id, user in sorted(roles.users.items()):
        role, department = roles.now[user_id]
        if roles.changes.get(user_id):
            *_, (_moment_, _before, expected, event_id) = roles.changes[user_id]
            fits = expected == (role, department)
            shown = " ".join(part for part in expected if part)
        elif user_id in roles.created:
            (expected_role, event_id) = roles.created[user_id]
            fits, shown = expected_role == role, expected_role
        else:
            continue
        if not fits:
            now = " ".join(part for part in (role, department) if part)
            problems.append(Problem(
                "user", f"Benutzer {user['login']} (users id {user_id}) ist '{now}', laut "
                        f"seinen Kontoereignissen (account_events id {event_id}) aber "
                        f"'{shown}'.",
                "users", user_id))
    return problems


def _permitted(roles: Roles, row: dict, who: frozenset[str], department: str | None):
    """None when the row's actor was one of `who` then; else the German reason."""
    actor = roles.actor(row["actor_id"], row["recorded_at"])
    if actor is not None and qualifies(actor, who, department):
        return None
    shown = actor.describe() if actor else f"users id {row['actor_id']} (unbekannt)"
    return f"von {shown}, erlaubt nur für {describe_who(who, department)}"


def _check_history(rec: dict, history: list[dict], roles: Roles, department: str | None):
    number = rec["number"]
    if not history:
        yield Problem("recommendation", f"Empfehlung {number} hat keinen Verlauf "
                                        "(keine Zeile in status_changes).",
                      "recommendations", rec["id"])
        return
    first = history[0]
    if first["from_status"] is not None or first["to_status"] != Status.PROPOSED.value:
        yield Problem("recommendation", f"Empfehlung {number}: der Verlauf beginnt nicht mit "
                                        f"der Anlage als {_status('proposed')} (status_changes "
                                        f"id {first['id']}).", "status_changes", first["id"])
    elif reason := _permitted(roles, first, PLANNING, department):
        yield Problem("recommendation", f"Empfehlung {number}: angelegt (status_changes id "
                                        f"{first['id']}) {reason}.", "status_changes",
                      first["id"])
    for before, change in pairwise(history):
        step = f"{_status(change['from_status'])} → {_status(change['to_status'])}"
        where = f"Empfehlung {number}: status_changes id {change['id']} ({step})"
        if change["from_status"] != before["to_status"]:
            yield Problem("recommendation", f"{where} schließt nicht an den Eintrag davor an, "
                                            f"der bei {_status(before['to_status'])} endet.",
                          "status_changes", change["id"])
            continue
        rules = [t for t in TRANSITIONS if t.source.value == change["from_status"]
                 and t.target.value == change["to_status"]
                 and (t.kinds is None or rec["kind"] in {k.value for k in t.kinds})]
        if not rules:
            yield Problem("recommendation", f"{where} ist nach der Statusregel nicht möglich "
                                            f"(Art {rec['kind']}).", "status_changes",
                          change["id"])
        elif reason := _permitted(roles, change, rules[0].who, department):
            yield Problem("recommendation", f"{where} {reason}.", "status_changes",
                          change["id"])
    last = history[-1]
    if rec["status"] != last["to_status"]:
        yield Problem("recommendation", f"Empfehlung {number} ist {_status(rec['status'])}, "
                                        f"ihr Verlauf endet bei {_status(last['to_status'])} "
                                        f"(status_changes id {last['id']}).",
                      "recommendations", rec["id"])


def check_recommendations(tables: dict[str, list[dict]], roles: Roles) -> list[Problem]:
    codes = {d["id"]: d["code"] for d in tables.get("departments", [])}
    changes, updates = defaultdict(list), defaultdict(list)
    for row in sorted(tables.get("status_changes", []), key=lambda r: r["id"]):
        changes[row["recommendation_id"]].append(row)
    for row in sorted(tables.get("progress_updates", []), key=lambda r: r["id"]):
        updates[row["recommendation_id"]].append(row)
    edits = Counter(row["recommendation_id"] for row in tables.get("recommendation_edits", []))
    problems = []
    for rec in sorted(tables.get("recommendations", []), key=lambda r: r["number"]):
        department = codes.get(rec["department_id"])
        history = changes.get(rec["id"], [])
        problems.extend(_check_history(rec, history, roles, department))
        for update in updates.get(rec["id"], []):
            if reason := _permitted(roles, update, PLANNING_OR_OWN_HEAD, department):
                problems.append(Problem(
                    "recommendation", f"Empfehlung {rec['number']}: Sachstand "
                                      f"(progress_updates id {update['id']}) {reason}.",
                    "progress_updates", update["id"]))
        steps, progress = max(len(history) - 1, 0), len(updates.get(rec["id"], []))
        lowest = 1 + steps + edits[rec["id"]]  # every step and correction raises the version
        if not lowest <= rec["version"] <= lowest + progress:
            allowed = (f"{lowest}" if not progress else
                       f"zwischen {lowest} und {lowest + progress}")
            corrected = f", {edits[rec['id']]} Korrekturen" if edits[rec["id"]] else ""
            problems.append(Problem(
                "recommendation", f"Empfehlung {rec['number']} hat Version {rec['version']}; "
                                  f"nach ihrem Verlauf ({steps} Statuswechsel, {progress} "
                                  f"Sachstände{corrected}) wäre es {allowed}.",
                "recommendations", rec["id"]))
    return problems


def check_supersessions(tables: dict[str, list[dict]]) -> list[Problem]:
    changes = {row["id"]: row for row in tables.get("status_changes", [])}
    problems = []
    for row in tables.get("supersessions", []):
        change = changes.get(row["status_change_id"])
        if (change is None or change["recommendation_id"] != row["recommendation_id"]
                or change["to_status"] != Status.SUPERSEDED.value):
            problems.append(Problem(
                "supersession", f"supersessions recommendation_id {row['recommendation_id']}: "
                                f"status_changes id {row['status_change_id']} ist nicht der "
                                "Statuswechsel dieser Empfehlung nach 'ersetzt'.",
                "supersessions", row["recommendation_id"]))
    return problems


def check_reports(reports: list[dict]) -> list[Problem]:
    """data_sha256 = SHA-256 of canonical_json(data); pdf_sha256 = SHA-256 of the PDF bytes."""
    problems = []
    for report in sorted(reports, key=lambda r: r["id"]):
        name = f"Veröffentlichter Bericht {report['kind']} {report['period']} " \
               f"(published_reports id {report['id']})"
        data = (report.get("data") or {}).get("json")
        if sha256_hex(canonical_json(data)) != report["data_sha256"]:
            problems.append(Problem("report", f"{name}: die Zahlen passen nicht mehr zu ihrem "
                                              "gespeicherten SHA-256.", "published_reports",
                                    report["id"]))
        pdf = base64.b64decode((report.get("pdf") or {}).get("base64") or "")
        if sha256_hex(pdf) != report["pdf_sha256"]:
            problems.append(Problem("report", f"{name}: das PDF passt nicht mehr zu seinem "
                                              "gespeicherten SHA-256.", "published_reports",
                                    report["id"]))
    return problems


def check_consistency(tables: dict[str, list[dict]]) -> list[Problem]:
    roles = Roles(tables.get("users", []), tables.get("departments", []),
                  tables.get("account_events", []))
    return [*check_recommendations(tables, roles), *check_supersessions(tables),
            *check_users(roles), *check_reports(tables.get("published_reports", []))]
