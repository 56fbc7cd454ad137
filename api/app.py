"""The FastAPI application of the regional platform (SPEC section 7).

`create_app` builds it around one `Settings`: the engine, the schema migrated to head, the job
runner (Celery workers when `REDIS_URL` is set, else a child process per job), and recovery of
jobs a previous run of this process left behind. `stagebureau serve` runs it with uvicorn.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, HTTPException, Request
from fastapi.responses import JSONResponse, Response
from sqlalchemy import Engine
from sqlalchemy.exc import DataError
from starlette.exceptions import HTTPException as StarletteHTTPException
from uvicorn.middleware.proxy_headers import ProxyHeadersMiddleware

from api.auth import configure_hashing
from api.db import create_db, make_engine
from api.jobs import InlineRunner, LocalRunner, Runner, recover_jobs
from api.mail_worker import MailThread
from api.openapi import declare_refusals
from api.routes import (
    agreements,
    company_stops,
    events,
    feedback,
    identity,
    menu,
    notifications,
    outputs,
    placement_requests,
    privacy,
    records,
    rounds,
    sources,
    timetables,
    uploads,
)
from api.security_headers import SecurityHeaders
from api.services.errors import ServiceError
from api.settings import Settings, get_settings
from api.throttle import LoginThrottle
from api.web import install as install_pages
from api.web.actions import problems

DESCRIPTION = """Shared placement platform of a regional internship bureau (stagebureau).

Roles: **bureau** (the region), **school** (its own pupils, classes, teachers, timetables),
**company** (its own capacity and what was assigned to it). Every record is scoped server-side.
Writes carry the record's `version`; a stale one is answered 409.
"""


def make_runner(settings: Settings, engine: Engine, kind: str | None) -> Runner:
    """The job runner: `kind` (tests) or Celery with a Redis URL, else local processes."""
    kind = kind or ("celery" if settings.redis_url else "local")
    if kind == "celery":
        from api.celery_app import CeleryRunner

        return CeleryRunner(settings)
    if kind == "inline":
        return InlineRunner(settings.database_url, engine)
    return LocalRunner(settings.database_url, engine)


def create_app(settings: Settings | None = None, *, runner: str | None = None) -> FastAPI:
    """The application for `settings` (default: from the environment)."""
    settings = settings or get_settings()
    configure_hashing(settings.argon2_time_cost, settings.argon2_memory_kib)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url)
        create_db(engine)
        job_runner = make_runner(settings, engine, runner)
        if job_runner.name == "local":
            # Children of an earlier run of this process died with it: say so on their jobs.
            recover_jobs(engine, "local")
        elif job_runner.name == "celery":
            # Tasks of lost workers are redelivered; jobs silent for this long have no worker.
            recover_jobs(engine, "celery", stale_after_s=max(600.0, 4 * settings.solve_time_limit))
        app.state.engine, app.state.settings, app.state.runner = engine, settings, job_runner
        app.state.login_throttle = LoginThrottle.from_settings(settings)
        # Without Celery beat the server itself sends the outbox's mail (api.mail_worker).
        mail = MailThread(engine, settings) if job_runner.name == "local" else None
        if mail is not None:
            mail.start()
        yield
        if mail is not None:
            mail.stop()
        if isinstance(job_runner, LocalRunner):
            job_runner.shutdown()
        engine.dispose()

    app = FastAPI(
        title="stagebureau",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
    )
    app.include_router(identity.router)
    app.include_router(records.router)
    app.include_router(rounds.router)
    app.include_router(uploads.router)
    app.include_router(timetables.router)
    app.include_router(sources.router)
    app.include_router(outputs.router)
    app.include_router(privacy.router)
    app.include_router(company_stops.router)
    app.include_router(events.router)
    app.include_router(notifications.router)
    app.include_router(feedback.router)
    app.include_router(menu.router)
    app.include_router(placement_requests.router)
    app.include_router(agreements.router)
    install_pages(app)  # the pages for people under /app (not in the OpenAPI document)
    app.add_middleware(SecurityHeaders)
    if settings.forwarded_allow_ips:
        # Outermost, so the headers, the cookies' Secure and the throttle see the real client.
        app.add_middleware(ProxyHeadersMiddleware, trusted_hosts=settings.forwarded_allow_ips)
    declare_refusals(app)

    @app.exception_handler(ServiceError)
    async def refused(request: Request, error: ServiceError) -> Response:
        """A service's refusal, answered as an `HTTPException` of its status and detail: JSON
        `{"detail": ...}` for the API (what its OpenAPI declarations describe), the error page
        for a page (`api.web`)."""
        answer = app.exception_handlers[StarletteHTTPException]
        detail = error.detail
        if request.url.path.startswith("/app"):  # the page's words for its code (issue 14)
            detail = "; ".join(problems(error))
        answered = answer(request, HTTPException(error.status, detail=detail))
        return answered if isinstance(answered, Response) else await answered

    @app.exception_handler(OverflowError)
    @app.exception_handler(DataError)
    async def out_of_range(_: Request, error: Exception) -> JSONResponse:
        """A number beyond what the database stores (an id of 2**63, say): the client's error."""
        return JSONResponse(
            status_code=422,
            content={"detail": [{"loc": ["request"], "msg": "a number is out of range",
                                 "type": "out_of_range"}]},
        )  # fmt: skip

    @app.exception_handler(ValueError)
    async def value_error(_: Request, error: ValueError) -> JSONResponse:
        """A value the domain refuses (never a 500): 422 with the reason."""
        return JSONResponse(status_code=422, content={"detail": str(error)})

    return app
