"""Templates and what every page gets: the language, the user, the CSRF value, the navigation."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.models import Role, User
from api.web.i18n import LANGUAGES, language_of, translator
from api.web.refusals import problem_text
from api.web.session import csrf_for
from api.web.stories import said_text

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
templates = Jinja2Templates(directory=TEMPLATES)

# (path, message key) of each role's navigation.
NAVIGATION: dict[Role, list[tuple[str, str]]] = {
    # In the order of the year's work, what waits for the user first.
    Role.bureau: [
        ("/app/todo", "nav.todo"),
        ("/app/bureau", "nav.rounds"),
        ("/app/bureau/menu/demand", "nav.menu_demand"),
        ("/app/bureau/menu", "nav.menu"),
        ("/app/bureau/requests", "nav.requests"),
        ("/app/agreements", "nav.agreements"),
        ("/app/bureau/events", "nav.events"),
        ("/app/bureau/feedback", "nav.feedback"),
        ("/app/bureau/calendar", "nav.school_year"),
        ("/app/bureau/map", "nav.map"),
    ],
    Role.school: [
        ("/app/todo", "nav.todo"),
        ("/app/school", "nav.school_data"),
        ("/app/school/requests", "nav.requests"),
        ("/app/school/results", "nav.results"),
        ("/app/agreements", "nav.agreements"),
        ("/app/school/events", "nav.events"),
        ("/app/school/feedback", "nav.feedback"),
        ("/app/school/menu", "nav.school_menu"),
        ("/app/school/sources", "nav.sources"),
        ("/app/school/systems", "nav.systems"),
    ],
    Role.company: [
        ("/app/todo", "nav.todo"),
        ("/app/company", "nav.capacity"),
        ("/app/company/menu", "nav.company_menu"),
        ("/app/company/pupils", "nav.assigned"),
        ("/app/agreements", "nav.agreements"),
        ("/app/company/calendar", "nav.calendar"),
        ("/app/company/events", "nav.events"),
        ("/app/company/feedback", "nav.feedback"),
    ],
}


def render(
    request: Request, name: str, context: dict[str, Any] | None = None, status: int = 200
) -> HTMLResponse:
    """Render template `name` with the common context."""
    lang = language_of(request)
    user: User | None = getattr(request.state, "user", None)
    token = getattr(request.state, "session_token", None)
    path = request.url.path
    nav = NAVIGATION.get(user.role, []) if user is not None else []
    current = max((p for p, _ in nav if path == p or path.startswith(p + "/")), key=len, default="")
    here = path + (f"?{request.url.query}" if request.url.query else "")
    return templates.TemplateResponse(
        request,
        name,
        {
            "t": translator(lang),
            "said": said_text(translator(lang)),
            "why": problem_text(translator(lang)),
            "lang": lang,
            "languages": LANGUAGES,
            "user": user,
            "csrf": csrf_for(token) if token else "",
            "nav": nav,
            "current": current,
            "here": here,
            **(context or {}),
        },
        status_code=status,
    )
