"""Exports hand out user text that no spreadsheet program runs as a formula (CSV injection)."""

from __future__ import annotations

import csv
import io

import pytest
from api_world import ok
from openpyxl import load_workbook

from api.spreadsheets import inert

FORMULAS = {"pupil": "=1+2", "company": "@SUM(A1)", "school": "-2+3", "class": "-K1"}


def rename(world, path: str, record_id: int, **values: str) -> None:
    url = f"/{path}/{record_id}"
    version = ok(world.client.get(url, headers=world.bureau))["version"]
    ok(world.client.patch(url, headers=world.bureau, json={"version": version, **values}))


@pytest.fixture
def formula_round(world) -> int:
    """A published round whose pupils, school S1 and company C1 have names like formulas
    (every pupil, since which of them the lottery seats at C1 is not this test's business)."""
    for pupil in ("st1", "st2", "st3", "st4", "st5"):
        rename(world, "pupils", world.ids[pupil], first_name=FORMULAS["pupil"])
    rename(world, "schools", world.ids["S1"], name=FORMULAS["school"])
    rename(world, "companies", world.ids["C1"], name=FORMULAS["company"])
    c, b = world.client, world.bureau
    rid = ok(c.post("/rounds", headers=b, json={"name": "r1"}), 201)["id"]
    assert ok(c.post(f"/rounds/{rid}/solve", headers=b), 202)["status"] == "succeeded"
    ok(c.post(f"/rounds/{rid}/publish", headers=b))
    return rid


def csv_rows(response) -> list[dict[str, str]]:
    assert response.status_code == 200, response.text
    text = response.content.decode("utf-8-sig")
    delimiter = ";" if text.splitlines()[0].count(";") else ","
    return list(csv.DictReader(io.StringIO(text), delimiter=delimiter))


def xlsx_rows(response) -> list[dict[str, object]]:
    """The sheet's rows, after checking no cell is a formula and every text cell is text."""
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content)).active
    cells = list(sheet.iter_rows())
    for cell in (c for row in cells for c in row if c.value is not None):
        assert cell.data_type != "f", cell.value
        if isinstance(cell.value, str):
            assert (cell.data_type, cell.number_format) == ("s", "@")
    header = [c.value for c in cells[0]]
    return [dict(zip(header, (c.value for c in row), strict=True)) for row in cells[1:]]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_school_export_neutralises_names_like_formulas(world, formula_round, fmt):
    url = f"/rounds/{formula_round}/export/schools/{world.ids['S1']}.{fmt}"
    response = world.client.get(url, headers=world.school)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    at_c1 = next(r for r in rows if r["company"] == "C1")  # a pupil of S1 placed at C1
    assert at_c1["first_name"] == "'=1+2"
    assert at_c1["company_name"] == "'@SUM(A1)"
    if fmt == "xlsx":  # numbers the platform computed stay numbers
        assert isinstance(at_c1["rank"], int) and isinstance(at_c1["travel_min"], int)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_company_export_neutralises_names_like_formulas(world, formula_round, fmt):
    url = f"/rounds/{formula_round}/export/companies/{world.ids['C1']}.{fmt}"
    response = world.client.get(url, headers=world.company)
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    of_s1 = next(r for r in rows if r["school"] != "Vmbo S2")
    assert (of_s1["first_name"], of_s1["school"]) == ("'=1+2", "'-2+3")


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_timetable_template_neutralises_codes_like_formulas(world, fmt):
    from web.web_helpers import Browser

    klass = {"code": FORMULAS["class"], "year": 3, "size": 20, "free": ["tue-pm"]}
    ok(world.client.post("/classes", headers=world.school, json=klass), 201)
    page = Browser(world.client.app, "school@testregio.nl")
    response = page.get(f"/app/school/templates/timetables.{fmt}")
    rows = csv_rows(response) if fmt == "csv" else xlsx_rows(response)
    assert rows == [{"klas of docent": "'-K1", "vrije dagdelen": "di-middag"}]  # a Dutch page


@pytest.mark.parametrize("text", ["=1+2", "+31", "-2+3", "@SUM(A1)", "\tx", "\rx"])
def test_text_starting_like_a_formula_gets_a_quote(text):
    assert inert(text) == "'" + text


@pytest.mark.parametrize("value", ["Anna", "", "'=1", -2, 3.5, None])
def test_other_values_pass_unchanged(value):
    assert inert(value) == value


def test_csv_is_made_for_dutch_excel():
    """`;` between fields and a BOM: Dutch Excel opens it in columns, accents intact."""
    from api.spreadsheets import csv_bytes

    body = csv_bytes(["naam", "plaats"], [["Zoë", "Zwolle, centrum"]])
    assert body.startswith("\ufeff".encode())
    assert body.decode("utf-8-sig").splitlines() == ["naam;plaats", "Zoë;Zwolle, centrum"]


def test_xlsx_keeps_its_header_in_view_with_a_filter_and_readable_widths():
    from api.spreadsheets import xlsx_bytes

    body = xlsx_bytes("export", ["student", "company_name"], [["st1", "Installatiebedrijf X"]])
    sheet = load_workbook(io.BytesIO(body)).active
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == "A1:B2"
    assert sheet.column_dimensions["B"].width >= len("Installatiebedrijf X")
