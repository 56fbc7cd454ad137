"""Bulk uploads are all or nothing and name the row, column and reason of every bad row."""

from __future__ import annotations

import asyncio
import io
import threading

import httpx
import jsonschema_rs
import pytest
from api_world import build_world, ok
from openpyxl import Workbook
from web.web_helpers import Browser

from api.services import uploads


def pupil_codes(world) -> list[str]:
    return sorted(p["code"] for p in ok(world.client.get("/pupils", headers=world.bureau)))


def test_pupil_upload_with_bad_rows_names_each_and_changes_nothing(world):
    before = pupil_codes(world)
    text = (
        "code,first_name,profile,track,year,preferences\n"
        "n1,Anna,PIE,kb,3,PL1\n"
        "n2,Bo,XYZ,kb,3,\n"  # bad profile
        "n3,Cas,PIE,kb,three,\n"  # bad year
        "n4,Dio,PIE,kb,3,PL9\n"  # unknown wish
    )
    response = world.client.post(
        "/uploads/pupils", headers=world.school, files={"file": ("pupils.csv", text)}
    )
    assert response.status_code == 422
    found = {(p["row"], p["column"]) for p in response.json()["detail"]}
    assert found == {(3, "profile"), (4, "year"), (5, "preferences")}
    assert pupil_codes(world) == before


def test_pupil_upload_updates_existing_codes_and_bumps_version(world):
    text = "code;first_name;profile;track;year\nst1;Renamed;PIE;kb;4\n"
    assert ok(
        world.client.post("/uploads/pupils", headers=world.school, files={"file": ("p.csv", text)})
    ) == {"created": 0, "updated": 1}
    pupil = ok(world.client.get(f"/pupils/{world.ids['st1']}", headers=world.school))
    assert pupil["first_name"] == "Renamed" and pupil["version"] == 2


def test_pupil_upload_may_not_take_over_another_schools_code(world):
    text = "code,first_name,profile,track,year\nst4,Eve,PIE,kb,3\n"
    response = world.client.post(
        "/uploads/pupils", headers=world.school, files={"file": ("p.csv", text)}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["column"] == "code"


def test_pupil_upload_refuses_a_class_of_another_school_or_region(world, engine):
    elsewhere = build_world(world.client, engine, region="Andere regio")
    klass = {"code": "K9", "year": 3, "size": 20, "free": ["tue-pm"]}
    other_school = ok(world.client.post("/classes", headers=world.other_school, json=klass), 201)
    other_region = ok(world.client.post("/classes", headers=elsewhere.school, json=klass), 201)
    before = pupil_codes(world)
    text = (
        "code,first_name,profile,track,year,class_id\n"
        f"n1,Anna,PIE,kb,3,{other_school['id']}\n"
        f"n2,Bo,PIE,kb,3,{other_region['id']}\n"
        "n3,Cas,PIE,kb,3,\n"
    )
    response = world.client.post(
        "/uploads/pupils", headers=world.school, files={"file": ("pupils.csv", text)}
    )
    assert response.status_code == 422
    found = {(p["row"], p["column"]) for p in response.json()["detail"]}
    assert found == {(2, "class_id"), (3, "class_id")}
    assert pupil_codes(world) == before


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8", "utf-8-sig"])
def test_pupil_upload_reads_windows_1252_and_utf8_with_or_without_bom(world, encoding):
    text = "code;first_name;profile;track;year\nn1;Zoë;PIE;kb;3\nn2;Hélène;PIE;kb;3\n"
    response = world.client.post(
        "/uploads/pupils",
        headers=world.school,
        files={"file": ("pupils.csv", text.encode(encoding))},
    )
    assert ok(response) == {"created": 2, "updated": 0}
    pupils = ok(world.client.get("/pupils", headers=world.school))
    names = {p["code"]: p["first_name"] for p in pupils}
    assert (names["n1"], names["n2"]) == ("Zoë", "Hélène")


def test_upload_of_binary_bytes_named_csv_is_refused(world):
    response = world.client.post(
        "/uploads/pupils", headers=world.school, files={"file": ("p.csv", bytes(range(256)) * 4)}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["row"] == 0


def test_capacity_upload_xlsx_with_bad_row_is_refused(world):
    book = Workbook()
    for row in (["code", "P3", "tracks"], ["PL7", 2, "kb"], ["PL8", -1, "kb"], ["PL9", "", ""]):
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    response = world.client.post(
        "/uploads/capacity", headers=world.company, files={"file": ("c.xlsx", out.getvalue())}
    )
    assert response.status_code == 422
    rows = {(p["row"], p["column"]) for p in response.json()["detail"]}
    assert (3, "capacity.P3") in rows and (4, "capacity") in rows
    codes = [p["code"] for p in ok(world.client.get("/placements", headers=world.company))]
    assert codes == ["PL1"]


def test_upload_that_is_not_a_table_is_refused(world):
    response = world.client.post(
        "/uploads/pupils", headers=world.school, files={"file": ("p.xlsx", b"PK\x03\x04junk")}
    )
    assert response.status_code == 422


def test_bad_json_body_names_the_field_and_changes_nothing(world):
    url = f"/placements/{world.ids['PL1']}"
    placement = ok(world.client.get(url, headers=world.company))
    response = world.client.patch(
        url,
        headers=world.company,
        json={"version": placement["version"], "capacity": {"P3": "many"}},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["body", "capacity"]
    assert ok(world.client.get(url, headers=world.company)) == placement


def upload_request(world, who: str) -> tuple[dict[str, str], dict[str, str]]:
    """Headers and form fields of an upload as `who`: an API role, or the school's page."""
    if who != "page":
        return getattr(world, who), {}
    page = Browser(world.client.app, "school@testregio.nl")
    world.client.cookies.update(page.client.cookies)
    return {}, {"csrf": page.csrf}


PUPIL_FILE = "code,first_name,profile,track,year\nn1,Anna,PIE,kb,3\n"
CAPACITY_FILE = "code,P3\nPL7,2\n"


@pytest.mark.parametrize(
    ("url", "who", "text"),
    [
        ("/uploads/pupils", "school", PUPIL_FILE),
        ("/uploads/capacity", "company", CAPACITY_FILE),
        ("/app/school/intake/pupils", "page", PUPIL_FILE),
    ],
    ids=["pupils", "capacity", "page"],
)
def test_an_upload_being_parsed_leaves_other_requests_served(world, monkeypatch, url, who, text):
    """The parse waits until a /users/me is answered meanwhile: parsed on the event loop, that
    answer never comes and the parse gives up (after a generous wait) with an error."""
    parsing, answered = threading.Event(), threading.Event()
    parse = uploads.read_table

    def parse_after_another_request(upload, content):  # type: ignore[no-untyped-def]
        parsing.set()
        if not answered.wait(timeout=60):
            raise AssertionError("no other request was served while the upload was parsed")
        return parse(upload, content)

    monkeypatch.setattr(uploads, "read_table", parse_after_another_request)
    headers, data = upload_request(world, who)

    async def upload_and_ask_who_am_i() -> tuple[httpx.Response, httpx.Response]:
        transport = httpx.ASGITransport(app=world.client.app)
        async with httpx.AsyncClient(transport=transport, base_url="http://testserver") as client:
            client.cookies.update(world.client.cookies)
            upload = asyncio.create_task(
                client.post(url, headers=headers, data=data, files={"file": ("f.csv", text)})
            )
            await asyncio.to_thread(parsing.wait, 60)
            me = await client.get("/users/me", headers=world.school)
            answered.set()
            return await upload, me

    upload, me = asyncio.run(upload_and_ask_who_am_i())
    assert me.status_code == 200
    assert upload.status_code == 200, upload.text


def refusals(world) -> list[tuple[str, httpx.Response]]:
    """A 422 of every kind the upload routes give: bad rows, a bad file, a form FastAPI refuses,
    a school of no region, a field beyond what the CSV reader takes."""
    post, school = world.client.post, world.school
    bad_pupil = "code,first_name,profile,track,year\nn1,Anna,XYZ,kb,3\n"
    return [
        ("/uploads/pupils", post("/uploads/pupils", headers=school,
                                 files={"file": ("p.csv", bad_pupil)})),
        ("/uploads/pupils", post("/uploads/pupils", headers=school,
                                 files={"file": ("p.xlsx", b"PK\x03\x04junk")})),
        ("/uploads/pupils", post("/uploads/pupils", headers=school,
                                 files={"file": ("p.csv", "code\n" + "x" * 200_000 + "\n")})),
        ("/uploads/pupils", post("/uploads/pupils", headers=school)),
        ("/uploads/pupils", post("/uploads/pupils?school_id=999", headers=world.bureau,
                                 files={"file": ("p.csv", bad_pupil)})),
        ("/uploads/capacity", post("/uploads/capacity", headers=world.company,
                                   files={"file": ("c.csv", "code,P3\nPL7,-1\n")})),
    ]  # fmt: skip


def test_upload_refusals_match_their_declared_schema(world):
    spec = ok(world.client.get("/openapi.json"))
    for path, response in refusals(world):
        assert response.status_code == 422, response.text
        declared = spec["paths"][path]["post"]["responses"]["422"]["content"]["application/json"]
        assert declared["schema"] == {"$ref": "#/components/schemas/UploadRefusal"}
        schema = {**declared["schema"], "components": spec["components"]}
        jsonschema_rs.validator_for(schema).validate(response.json())
