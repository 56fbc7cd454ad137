"""The pages' words as gettext catalogs: `<lang>/LC_MESSAGES/messages.po`, one per language.

A msgid is a symbolic key (`nav.rounds`), its msgstr the text in that language, with `{name}`
placeholders filled by `str.format`. The .po files are read at start and compiled in memory, so
an editable install and a wheel behave the same and no build step can leave a stale .mo behind.
Translators work with `make messages` (pybabel extract, update, compile; see README).
"""

from __future__ import annotations

from functools import cache
from io import BytesIO
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

LOCALE_DIR = Path(__file__).resolve().parent
DOMAIN = "messages"
LANGUAGES = ("nl", "en")  # the first is the default


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def catalog(lang: str) -> Catalog:
    """The catalog of `lang` as Babel reads it, for tests and the absorb tool."""
    with po_path(lang).open("rb") as po:
        return read_po(po, locale=lang, domain=DOMAIN)


@cache
def translations(lang: str) -> Translations:
    """`lang`'s words as gettext translations; an unknown language gets the default's."""
    mo = BytesIO()
    write_mo(mo, catalog(lang if lang in LANGUAGES else LANGUAGES[0]))
    mo.seek(0)
    return Translations(mo, domain=DOMAIN)


@cache
def words(lang: str) -> dict[str, str]:
    """`lang`'s catalog as key -> words, for code that takes a words table (`api.calendars`)."""
    found = catalog(lang if lang in LANGUAGES else LANGUAGES[0])
    return {str(m.id): str(m.string) for m in found if m.id and m.string}
