"""Server-rendered pages for the bureau, schools and companies, on the API's own app.

Jinja2 templates with a little htmx (vendored in `api/static`, no build step and no network):
every page works as plain HTML forms, htmx only adds the live progress bar of a solve. Pages
live under `/app`, use the platform's users and passwords (`api.web.session`), change data only
through the same services as the API (`api.services`), speak Dutch by default and
English on request (`api.web.i18n`), and stay out of the OpenAPI document.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.exception_handlers import http_exception_handler
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.web.session import LoginRequired, login_url

STATIC = Path(__file__).resolve().parent.parent / "static"


def install(app: FastAPI) -> None:
    """Mount the pages, their static files and their error pages on `app`."""
    from api.web import (
        agreements,
        bureau,
        common,
        company,
        company_stops,
        dashboard,
        event_days,
        feedback,
        intake,
        menu,
        placement_requests,
        round_page,
        school,
        school_sources,
        school_year,
        sources,
        todo,
    )
    from api.web.i18n import translator
    from api.web.render import render

    modules = (
        common,
        company,
        school,
        bureau,
        school_year,
        company_stops,
        sources,
        school_sources,
        event_days,
        todo,
        feedback,
        menu,
        placement_requests,
        agreements,
        round_page,
        intake,
        dashboard,
    )
    for module in modules:
        app.include_router(module.router)
    from api.web.i18n import PageLanguage

    app.add_middleware(PageLanguage)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")

    @app.exception_handler(LoginRequired)
    async def to_login(request: Request, error: LoginRequired) -> Response:
        url = login_url(error.next_url)
        if request.headers.get("hx-request"):
            return Response(status_code=200, headers={"HX-Redirect": url})
        return RedirectResponse(url, status_code=303)

    @app.exception_handler(StarletteHTTPException)
    async def page_errors(request: Request, error: StarletteHTTPException) -> Response:
        """Pages get an HTML error page in their language; the API keeps its JSON errors."""
        if not request.url.path.startswith("/app"):
            return await http_exception_handler(request, error)
        from api.web.i18n import language_of

        t = translator(language_of(request))
        key = f"error.{error.detail}"
        message = t(key) if t(key) != key else str(error.detail)
        return render(request, "error.html", {"message": message}, status=error.status_code)
