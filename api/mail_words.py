"""The words of the platform's mail: in the pages' gettext catalogs (`api.locale`), each key
prefixed `mail.`, so a translator finds every word of the platform in one place.

Mail names pupils by their code only: pupils are minors, and a mail leaves the platform. A
code is never followed by a colon, so an erasure (`api.pupil_data`) finds it in a stored mail.
"""

from __future__ import annotations

from typing import Any

from api.locale import translations


def mail_text(language: str, key: str, **params: Any) -> str:
    """The text of `key` in `language` (Dutch for any language the mail does not speak)."""
    return translations(language).gettext(f"mail.{key}").format(**params)
