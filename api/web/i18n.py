"""The pages' language: Dutch by default (the people who use them are Dutch), English on request.

The words live in gettext catalogs (`api.locale`); the language is the `lang` cookie's, set by
the switch in every page's header. `PageLanguage` also keeps it for the request being served, so
code that has no request at hand (`api.web.actions.problems`) speaks the page's language.
"""

from __future__ import annotations

from collections.abc import Callable
from contextvars import ContextVar

from fastapi import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from api.locale import LANGUAGES, translations

__all__ = [
    "LANGUAGES",
    "LANG_COOKIE",
    "column_labels",
    "language_of",
    "page_translator",
    "translator",
]

LANG_COOKIE = "lang"
_PAGE_LANGUAGE: ContextVar[str] = ContextVar("page_language", default=LANGUAGES[0])


def language_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "nl")
    return lang if lang in LANGUAGES else "nl"


def translator(lang: str) -> Callable[[str], str]:
    """`t(key)` in `lang`; an unknown key shows itself, so a test can catch it."""
    return translations(lang).gettext


def page_translator() -> Callable[[str], str]:
    """`t` in the language of the page being served."""
    return translator(_PAGE_LANGUAGE.get())


def column_labels(lang: str) -> Callable[[str], str]:
    """A download's column key -> its header in `lang` (`column.<key>`), else the key."""
    t = translator(lang)

    def label(column: str) -> str:
        words = t(f"column.{column}")
        return column if words == f"column.{column}" else words

    return label


class PageLanguage:
    """ASGI middleware: the `lang` cookie's language for the request's whole handling (sync
    handlers run in worker threads that copy the context)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        token = _PAGE_LANGUAGE.set(language_of(Request(scope)))
        try:
            await self.app(scope, receive, send)
        finally:
            _PAGE_LANGUAGE.reset(token)
