"""The pages' language: Dutch by default (the people who use them are Dutch), English on request.

The words live in gettext catalogs (`api.locale`); the language is the `lang` cookie's, set by
the switch in every page's header.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request

from api.locale import LANGUAGES, translations

__all__ = ["LANGUAGES", "LANG_COOKIE", "language_of", "translator"]

LANG_COOKIE = "lang"


def language_of(request: Request) -> str:
    lang = request.cookies.get(LANG_COOKIE, "nl")
    return lang if lang in LANGUAGES else "nl"


def translator(lang: str) -> Callable[[str], str]:
    """`t(key)` in `lang`; an unknown key shows itself, so a test can catch it."""
    return translations(lang).gettext
