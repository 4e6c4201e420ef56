"""Rendering a page: the template, the signed-in person, the CSRF token, a notice."""

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse

from controlling.web.deps import HOME, state

# Notices after a successful step (Post/Redirect/Get): fixed texts, never echoed input.
NOTICES = {
    "approve": "Die Empfehlung ist freigegeben.",
    "reject": "Die Empfehlung ist abgelehnt.",
    "support": "Die Empfehlung ist statistisch gestützt.",
    "implement": "Die Empfehlung ist als umgesetzt gemeldet.",
    "supersede": "Die Empfehlung ist ersetzt.",
    "progress": "Der Sachstand ist erfasst.",
    "password": "Ihr eigenes Passwort ist gesetzt.",
    "user_added": "Der Benutzer ist angelegt.",
    "notices_on": "Die Rückmeldungen sind bestellt.",
    "notices_off": "Die Rückmeldungen sind abbestellt; die Adresse ist gelöscht.",
    "user_changed": "Der Benutzer ist geändert.",
    "user_deactivated": "Der Benutzer ist deaktiviert; seine Sitzungen und Tokens sind beendet.",
    "password_reset": "Das Initialpasswort ist gesetzt; Sitzungen und Tokens des Benutzers "
                      "sind beendet.",
    "signed_out": "Sie sind abgemeldet.",
}


def render(request: Request, template: str, context: dict | None = None,
           status: int = 200) -> HTMLResponse:
    user = getattr(request.state, "user", None)
    notice = NOTICES.get(request.query_params.get("erledigt", ""))
    body = state(request).templates.get_template(template).render(
        request=request, user=user, csrf=user.csrf if user else None, notice=notice,
        home=HOME.get(user.role, "/") if user else "/", path=request.url.path,
        **(context or {}))
    return HTMLResponse(body, status_code=status)


def done(target: str, notice: str) -> RedirectResponse:
    separator = "&" if "?" in target else "?"
    return RedirectResponse(f"{target}{separator}erledigt={notice}", status_code=303)
