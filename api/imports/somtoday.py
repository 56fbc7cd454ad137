"""The Somtoday Connect client (the "Generiek Koppelvlak", REST under /rest/v1/connect).

Somtoday Connect works with OAuth 2 client credentials: the platform's client id and secret,
registered with Somtoday, plus the school's organisation UUID (`?organisation=` on the token
request) give a token for that school only; the school then switches the platform on per
location (vestiging) and chooses which fields it shares (veldpermissies). Lists are paged with
`offset` and `amount` (at most 200); a page longer than asked, or a record seen twice, is a
paging error.

Reads: `connect/vestiging` (which location), its `leerling` (roepnaam, leerlingnummer, the
current plaatsing's leerjaar, opleiding and stamgroep, the postcode of the address),
`stamgroep/` (the classes), `lesgroep/` (teaching groups, their pupils) and each lesgroep's
`rooster` per ISO week (its afspraken and their medewerkers). A lesgroep keeps a class busy
when at least half of the class's pupils are in it; every medewerker of an afspraak is busy.
Everything else a leerling carries (BSN, birth date, e-mail, address, ...) is dropped on
arrival and named in the report.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from api.imports.dayparts import Busy
from api.imports.minimise import minimise
from api.imports.snapshot import (
    SchoolSnapshot,
    SourceGroup,
    SourcePupil,
    SourceTeacher,
    profile_in,
    track_in,
)
from api.imports.transport import SourceError, Transport

Progress = Callable[[str, float], None]
PAGE_AMOUNT = 200  # Somtoday's maximum
SOURCE_FIELDS = {
    "code": "leerlingnummer",
    "first_name": "roepnaam",
    "class": "plaatsingen[].stamgroep.naam",
    "profile": "plaatsingen[].opleiding.profielafkorting",
    "track": "plaatsingen[].opleiding.afkorting",
    "year": "plaatsingen[].leerjaar",
}


class SomtodayClient:
    def __init__(self, transport: Transport, token_url: str, api_url: str) -> None:
        self.transport, self.token_url, self.api_url = transport, token_url, api_url.rstrip("/")

    def token(self, organisation: str, client_id: str, client_secret: str) -> str:
        """A client-credentials token for one organisation (instelling)."""
        data = {
            "grant_type": "client_credentials",
            "client_id": client_id,
            "client_secret": client_secret,
        }
        return self.transport.post_token(self.token_url, data, {"organisation": organisation})

    def pages(self, token: str, path: str, key: str) -> list[dict[str, Any]]:
        """Every record of a paged list, in pages of `PAGE_AMOUNT`."""
        records: list[dict[str, Any]] = []
        seen: set[str] = set()
        while True:
            params = {"offset": len(records), "amount": PAGE_AMOUNT}
            body = self.transport.get_json(f"{self.api_url}/{path}", key, token, params)
            page = body.get(key) if isinstance(body, dict) else None
            if not isinstance(page, list) or not all(isinstance(r, dict) for r in page):
                raise SourceError(
                    f"Somtoday's answer to {key} is malformed: no list '{key}'",
                    code="import.malformed",
                    params={"system": "Somtoday", "what": key, "where": key},
                )
            if len(page) > PAGE_AMOUNT:
                raise SourceError(
                    f"Somtoday's paging of {key} does not line up: asked {PAGE_AMOUNT} from "
                    f"offset {len(records)}, got {len(page)}",
                    code="import.paging_amount",
                    params={"system": "Somtoday", "what": key, "amount": PAGE_AMOUNT,
                            "offset": len(records), "count": len(page)},
                )  # fmt: skip
            for record in page:
                uuid = str(record.get("uuid", ""))
                if uuid in seen:
                    raise SourceError(
                        f"Somtoday's paging of {key} does not line up: {uuid} came twice "
                        f"(offset {len(records)})",
                        code="import.paging_twice",
                        params={"system": "Somtoday", "what": key, "uuid": uuid,
                                "offset": len(records)},
                    )  # fmt: skip
                seen.add(uuid)
            records += page
            if len(page) < PAGE_AMOUNT:
                return records

    def read(
        self, token: str, location: str | None, mondays: list[date], progress: Progress
    ) -> SchoolSnapshot:
        """The location's pupils, classes and the lessons of its lesgroepen in those weeks."""
        progress("vestiging", 0.05)
        body = self.transport.get_json(f"{self.api_url}/connect/vestiging", "vestiging", token)
        locations = body.get("vestigingen") if isinstance(body, dict) else None
        if not isinstance(locations, list):
            raise SourceError(
                "Somtoday's answer to vestiging is malformed: no list 'vestigingen'",
                code="import.malformed",
                params={"system": "Somtoday", "what": "vestiging", "where": "vestigingen"},
            )
        chosen = [
            v
            for v in locations
            if location in (None, "", v.get("uuid"), v.get("afkorting"), *v.get("brins", []))
        ]
        if not locations:
            raise SourceError(
                "choose the Somtoday location to read (setting 'location'): the platform may "
                "read none; the school has not switched the platform on",
                code="import.no_location",
            )
        if len(chosen) != 1:
            names = ", ".join(repr(v.get("afkorting") or v.get("naam")) for v in locations)
            raise SourceError(
                f"choose the Somtoday location to read (setting 'location'): the platform may "
                f"read {names}",
                code="import.choose_location",
                params={"names": names},
            )
        base = f"connect/vestiging/{chosen[0]['uuid']}"
        progress("leerling", 0.15)
        leerlingen = self.pages(token, f"{base}/leerling", "leerlingen")
        progress("stamgroep", 0.3)
        stamgroepen = self.pages(token, f"{base}/stamgroep/", "stamgroepen")
        progress("lesgroep", 0.4)
        lesgroepen = self.pages(token, f"{base}/lesgroep/", "lesgroepen")
        lessons: dict[str, list[tuple[Busy, list[dict[str, Any]]]]] = {}
        for n, lesgroep in enumerate(lesgroepen):
            progress(
                f"rooster {n + 1}/{len(lesgroepen)}", 0.45 + 0.45 * n / max(1, len(lesgroepen))
            )
            for monday in mondays:
                lessons.setdefault(lesgroep["uuid"], []).extend(
                    self._rooster(token, f"{base}/lesgroep/{lesgroep['uuid']}/rooster", monday)
                )
        return _snapshot(leerlingen, stamgroepen, lesgroepen, lessons)

    def _rooster(
        self, token: str, path: str, monday: date
    ) -> list[tuple[Busy, list[dict[str, Any]]]]:
        week = monday.isocalendar().week
        body = self.transport.get_json(
            f"{self.api_url}/{path}", "rooster", token, {"weeknummer": week}
        )
        rooster = body.get("rooster") if isinstance(body, dict) else None
        afspraken = rooster.get("afspraken") if isinstance(rooster, dict) else None
        if not isinstance(afspraken, list):
            raise SourceError(
                f"Somtoday's rooster of week {week} is malformed: no 'afspraken'",
                code="import.malformed",
                params={"system": "Somtoday", "what": f"rooster {week}", "where": "afspraken"},
            )
        found = []
        for i, afspraak in enumerate(afspraken):
            try:
                lesson = Busy(
                    datetime.fromisoformat(afspraak["begintijd"]),
                    datetime.fromisoformat(afspraak["eindtijd"]),
                )
            except (KeyError, TypeError, ValueError):
                raise SourceError(
                    f"Somtoday's rooster of week {week}, afspraken[{i}]: no readable "
                    "begintijd and eindtijd",
                    code="import.unreadable_times",
                    params={"system": "Somtoday", "record": f"rooster {week}, afspraken[{i}]",
                            "fields": "begintijd, eindtijd"},
                ) from None  # fmt: skip
            found.append((lesson, list(afspraak.get("medewerkers") or [])))
        return found


def _current_placement(leerling: dict[str, Any], today: date) -> dict[str, Any]:
    """The plaatsing running today, else the latest one (a pupil placed for next year)."""
    placements = [p for p in leerling.get("plaatsingen") or [] if isinstance(p, dict)]
    for placement in placements:
        if (
            placement.get("startdatum", "")
            <= today.isoformat()
            <= placement.get("einddatum", "9999")
        ):
            return placement
    return max(placements, key=lambda p: p.get("startdatum", ""), default={})


def _offered(leerling: dict[str, Any], placement: dict[str, Any]) -> dict[str, Any]:
    """A leerling as `minimise` takes it: the platform's names for what it uses, the source's
    own for everything else it sent (`adres.straat`, `BSN`, ...), which is then left out."""
    opleiding = placement.get("opleiding") or {}
    stamgroep = placement.get("stamgroep") or {}
    address = leerling.get("adres") or {}
    used = {"uuid", "leerlingnummer", "roepnaam", "plaatsingen", "adres"}
    return {
        "code": str(leerling.get("leerlingnummer") or ""),
        "first_name": leerling.get("roepnaam"),
        "class": stamgroep.get("naam"),
        "profile": profile_in(opleiding.get("profielafkorting"), opleiding.get("afkorting")),
        "track": track_in(
            opleiding.get("afkorting"),
            opleiding.get("naam"),
            opleiding.get("landelijke_naam"),
            stamgroep.get("onderwijssoort"),
        ),
        "year": placement.get("leerjaar") or stamgroep.get("leerjaar"),
        "postcode": address.get("postcode"),
        **{k: v for k, v in leerling.items() if k not in used},
        **{f"adres.{k}": v for k, v in address.items() if k != "postcode"},
    }


def _snapshot(
    leerlingen: list[dict[str, Any]],
    stamgroepen: list[dict[str, Any]],
    lesgroepen: list[dict[str, Any]],
    lessons: dict[str, list[tuple[Busy, list[dict[str, Any]]]]],
) -> SchoolSnapshot:
    today = date.today()
    pupils: list[SourcePupil] = []
    class_of: dict[str, str] = {}  # leerling uuid -> stamgroep uuid
    for i, leerling in enumerate(leerlingen):
        placement = _current_placement(leerling, today)
        stamgroep = placement.get("stamgroep") or {}
        if stamgroep.get("uuid"):
            class_of[str(leerling.get("uuid"))] = stamgroep["uuid"]
        pupils.append(
            SourcePupil(
                record=f"leerlingen[{i}] (leerlingnummer {leerling.get('leerlingnummer')})",
                pupil=minimise(_offered(leerling, placement)),
            )
        )
    members: dict[str, set[str]] = {}
    for pupil_uuid, group_uuid in class_of.items():
        members.setdefault(group_uuid, set()).add(pupil_uuid)
    group_lessons: dict[str, list[Busy]] = {}
    teachers: dict[str, tuple[str, list[Busy]]] = {}
    for lesgroep in lesgroepen:
        in_group = {str(r.get("uuid")) for r in lesgroep.get("leerlingen") or []}
        for lesson, medewerkers in lessons.get(lesgroep["uuid"], []):
            for group_uuid, pupils_of in members.items():
                if 2 * len(pupils_of & in_group) >= len(pupils_of):
                    group_lessons.setdefault(group_uuid, []).append(lesson)
            for medewerker in medewerkers:
                code = str(medewerker.get("afkorting") or medewerker.get("uuid"))
                name = " ".join(
                    str(medewerker[k])
                    for k in ("roepnaam", "voorvoegsel", "achternaam")
                    if medewerker.get(k)
                )
                teachers.setdefault(code, (name or code, []))[1].append(lesson)
    groups = tuple(
        SourceGroup(
            record=f"stamgroepen[{i}] ({g.get('naam')!r})",
            name=str(g["naam"]),
            lessons=tuple(group_lessons.get(g.get("uuid", ""), ())),
        )
        for i, g in enumerate(stamgroepen)
        if g.get("naam")
    )
    return SchoolSnapshot(
        pupils=tuple(pupils),
        groups=groups,
        teachers=tuple(
            SourceTeacher(record=f"medewerker {code!r}", code=code, name=name, lessons=tuple(ls))
            for code, (name, ls) in sorted(teachers.items())
        ),
        source_fields=SOURCE_FIELDS,
        system="Somtoday",
    )
