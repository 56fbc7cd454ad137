"""A Babel extraction method that yields every key of a catalog (babel.cfg's last section).

Templates compose some keys at run time (`t('reason.' ~ code)`), which `pybabel extract` cannot
see; reading the Dutch catalog as a source keeps those keys in the template, so `pybabel update`
never marks them obsolete.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import IO, Any

from babel.messages.pofile import read_po


def declared(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Mapping[str, Any]
) -> Iterator[tuple[int, str | None, str, list[str]]]:
    for message in read_po(fileobj):
        if message.id:
            yield 0, None, str(message.id), []
