"""Move a words table (`*_MESSAGES`, key -> (Dutch, English)) into the gettext catalogs.

    python -m api.locale.absorb api/web/foo_words.py

A dev tool for merging branches that still add their words as a Python table: it appends each
entry to both .po files, refuses a key that is already there with other words, deletes the
module and the lines of `api/web/i18n.py` that imported or merged its table.
"""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from typing import Any

from babel.messages.pofile import write_po

from api.locale import LANGUAGES, catalog, po_path

I18N = Path(__file__).resolve().parent.parent / "web" / "i18n.py"


def tables_of(path: Path) -> dict[str, dict[str, tuple[str, ...]]]:
    """The module's `*MESSAGES` dicts by name."""
    spec = importlib.util.spec_from_file_location(path.stem, path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: not a Python module")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for name, value in vars(module).items():
        if name.endswith("MESSAGES") and isinstance(value, dict):
            found[name] = value
    if not found:
        raise SystemExit(f"{path}: no *_MESSAGES table")
    return found


def add_words(words: dict[str, tuple[str, ...]]) -> int:
    """Append `words` to every catalog; returns how many keys were new."""
    catalogs = {lang: catalog(lang) for lang in LANGUAGES}
    new = 0
    for key, texts in words.items():
        if len(texts) != len(LANGUAGES) or not all(texts):
            raise SystemExit(f"{key}: needs a non-empty text for each of {LANGUAGES}")
        for lang, text in zip(LANGUAGES, texts, strict=True):
            there: Any = catalogs[lang].get(key)
            if there is not None and there.string != text:
                raise SystemExit(f"{key}: {lang} catalog says {there.string!r}, table {text!r}")
        if catalogs[LANGUAGES[0]].get(key) is None:
            new += 1
        for lang, text in zip(LANGUAGES, texts, strict=True):
            catalogs[lang].add(key, text)
    for lang, books in catalogs.items():
        with po_path(lang).open("wb") as po:
            write_po(po, books, width=100, omit_header=False)
    return new


def main(argv: list[str]) -> int:
    if not argv:
        print(__doc__, file=sys.stderr)
        return 2
    for arg in argv:
        path = Path(arg)
        tables = tables_of(path)
        new = sum(add_words(words) for words in tables.values())
        path.unlink()
        lines = I18N.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not any(name in line for name in tables)]
        I18N.write_text("".join(kept), encoding="utf-8")
        print(f"{path}: {new} new keys in {', '.join(LANGUAGES)}; module deleted")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
