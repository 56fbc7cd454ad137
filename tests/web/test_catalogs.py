"""The gettext catalogs (api/locale): both languages hold the same keys, every key the templates
and page code use is there, and every solver reason code has its words."""

from __future__ import annotations

import re
from pathlib import Path

from api.locale import LANGUAGES, catalog, translations
from scheduler.contract.reasons import ActivityReason, EventReason, PlacementReason

API = Path(__file__).resolve().parents[2] / "api"
LITERAL_KEY = re.compile(r"""\b[t_]\(\s*['"]([a-z_]+(?:\.[a-z_0-9]+)+)['"]\s*\)""")


def keys(lang: str) -> dict[str, str]:
    return {str(m.id): str(m.string) for m in catalog(lang) if m.id}


def used_keys() -> set[str]:
    sources = [*API.joinpath("templates").rglob("*.html"), *API.joinpath("web").rglob("*.py")]
    found: set[str] = set()
    for source in sources:
        found |= set(LITERAL_KEY.findall(source.read_text(encoding="utf-8")))
    return found


def test_both_catalogs_hold_the_same_keys_each_translated():
    nl, en = keys("nl"), keys("en")
    assert len(nl) > 500
    assert sorted(set(nl) ^ set(en)) == []
    for lang, words in (("nl", nl), ("en", en)):
        assert [k for k, text in words.items() if not text.strip()] == [], lang


def test_every_key_the_templates_and_page_code_use_is_in_both_catalogs():
    used = used_keys()
    assert "nav.rounds" in used and "db.load_percent" in used  # a template's and the code's
    for lang in LANGUAGES:
        assert sorted(used - set(keys(lang))) == [], lang


def test_every_reason_code_has_its_words():
    codes = [f"reason.{c}" for c in PlacementReason]
    codes += [f"reason_short.{c}" for c in PlacementReason]
    codes += [f"activity_reason.{c}" for c in ActivityReason]
    codes += [f"event_reason.{c}" for c in EventReason]
    for lang in LANGUAGES:
        assert sorted(set(codes) - set(keys(lang))) == [], lang


def test_the_languages_differ_and_an_unknown_key_shows_itself():
    assert translations("nl").gettext("nav.rounds") == "Rondes"
    assert translations("en").gettext("nav.rounds") == "Rounds"
    assert translations("nl").gettext("no.such.key") == "no.such.key"
