"""Browser-side protections sent with every answer (pure ASGI, so streamed answers stay streamed).

The pages load their script (htmx) and style sheet from /static and have no inline script or
style, so the content policy can refuse everything else; a `data:` image is the empty favicon,
and the region map's background tiles are images from PDOK (the Kadaster's BRT map).
FastAPI's own API explorer (/docs, /redoc) loads its script from a CDN with an inline start-up
script: it gets only the frame and plug-in part of the policy. Nothing but /static may be kept
by a browser or proxy cache, since answers may hold pupils' data. HSTS goes only with answers
over https (as seen after a trusted proxy's X-Forwarded-Proto), where a browser honours it.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

# The map's background tiles come from the Dutch government's PDOK service, and from no other.
MAP_TILES = "https://service.pdok.nl"
PAGE_POLICY = (
    f"default-src 'self'; img-src 'self' data: {MAP_TILES}; object-src 'none'; "
    "base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
)
EXPLORER_POLICY = "object-src 'none'; base-uri 'none'; frame-ancestors 'none'"
EXPLORER_PATHS = ("/docs", "/redoc")
ALWAYS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}
HSTS = "max-age=31536000"


class SecurityHeaders:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        explorer = path.startswith(EXPLORER_PATHS)
        static = path.startswith("/static/")
        https = scope["scheme"] == "https"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                headers.update(ALWAYS)
                headers["Content-Security-Policy"] = EXPLORER_POLICY if explorer else PAGE_POLICY
                if not static:
                    headers["Cache-Control"] = "no-store"
                if https:
                    headers["Strict-Transport-Security"] = HSTS
            await send(message)

        started = False

        async def send_and_note(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send_with_headers(message)

        try:
            await self.app(scope, receive, send_and_note)
        except Exception:
            # The server's own 500 would go out past this middleware, bare: answer it here,
            # then let the error go on to be logged.
            if not started:
                await send_and_note(
                    {
                        "type": "http.response.start",
                        "status": 500,
                        "headers": [(b"content-type", b"text/plain; charset=utf-8")],
                    }
                )
                await send_and_note(
                    {"type": "http.response.body", "body": b"Internal Server Error"}
                )
            raise
