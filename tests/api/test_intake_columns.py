"""Headers and Dutch values of Somtoday and Magister exports read as the platform's fields."""

from __future__ import annotations

import pytest

from api.imports.columns import (
    dayparts_value,
    mapped_row,
    mode_value,
    profile_value,
    recognise,
    track_value,
)
from api.services.uploads import read_table

SOMTODAY = ["Leerlingnummer", "Roepnaam", "Achternaam", "Klas", "Leerweg", "Profiel",
            "Leerjaar", "Postcode", "Vervoermiddel", "Geboortedatum"]  # fmt: skip
MAGISTER = ["Stamnummer", "Voornaam", "Tussenvoegsel", "Stamgroep", "Opleiding", "Postcode"]


def test_somtoday_headers_map_every_field_and_list_the_rest():
    headers = [h.lower() for h in SOMTODAY]  # read_table lower-cases headers
    mapping = recognise("pupils", headers)
    assert mapping.columns == {
        "code": "leerlingnummer", "first_name": "roepnaam", "class": "klas", "profile": "profiel",
        "track": "leerweg", "year": "leerjaar", "postcode": "postcode", "mode": "vervoermiddel",
    }  # fmt: skip
    assert mapping.ignored == ("achternaam", "geboortedatum") and mapping.missing == ()


def test_magister_headers_take_profile_track_and_year_from_the_education():
    mapping = recognise("pupils", [h.lower() for h in MAGISTER])
    assert mapping.derived == ("profile", "track", "year") and mapping.missing == ()
    row = {"stamnummer": "4711", "voornaam": "Sanne", "tussenvoegsel": "van", "stamgroep": "3B",
           "opleiding": "vmbo-k PIE leerjaar 3", "postcode": "7511 AB"}  # fmt: skip
    values = mapped_row(mapping, row)
    assert values == {"code": "4711", "first_name": "Sanne", "class": "3B", "profile": "PIE",
                      "track": "kb", "year": 3, "postcode": "7511 AB"}  # fmt: skip
    assert "tussenvoegsel" not in values  # ignored columns never leave the mapping


@pytest.mark.parametrize(
    ("raw", "code"),
    [("Basisberoepsgerichte leerweg", "bb"), ("BB", "bb"), ("vmbo-b", "bb"),
     ("Kaderberoepsgerichte leerweg", "kb"), ("KBL", "kb"), ("Gemengde leerweg", "gl"),
     ("GL", "gl"), ("theoretische leerweg", "tl"), ("TL", "tl"), ("mavo", "tl")],
)  # fmt: skip
def test_track_words(raw, code):
    assert track_value(raw) == code


@pytest.mark.parametrize(
    ("raw", "code"),
    [("fiets", "bike"), ("Fiets", "bike"), ("OV", "public_transport"), ("bus", "public_transport"),
     ("te voet", "walk"), ("auto", "car"), ("public_transport", "public_transport")],
)  # fmt: skip
def test_travel_words(raw, code):
    assert mode_value(raw) == code


def test_profile_names_and_unknown_values_pass_on_for_the_model_to_refuse():
    assert profile_value("Produceren, installeren en energie") == "PIE"
    assert profile_value("Zorg & welzijn") == "ZW" and profile_value("mvi") == "MVI"
    assert profile_value("Sterrenkunde") == "Sterrenkunde" and mode_value("raket") == "raket"


def test_dutch_dayparts():
    assert dayparts_value("di middag, ma-o; woensdagochtend 2027-03-11/am") == [
        "tue-pm", "mon-am", "wed-am", "2027-03-11/am"]  # fmt: skip
    assert dayparts_value("tue-pm zondag") == ["tue-pm", "zondag"]


def test_a_hand_picked_column_wins_and_an_empty_pick_means_absent():
    mapping = recognise("pupils", ["nr", "naam", "leerweg", "profiel", "leerjaar"],
                        {"code": "nr", "first_name": "naam"})  # fmt: skip
    assert mapping.columns["code"] == "nr" and mapping.missing == ()
    mapping = recognise("pupils", ["code", "first_name", "profile", "track", "year"],
                        {"first_name": ""})  # fmt: skip
    assert mapping.missing == ("first_name",)
    [problem] = mapping.problems()
    assert problem["column"] == "first_name" and "'first_name', 'profile'" in problem["reason"]


def test_semicolon_csv_with_bom_and_windows_1252_from_dutch_excel():
    text = "Leerlingnummer;Roepnaam;Leerweg\r\n1;Zoë;Kaderberoepsgerichte leerweg\r\n"
    for content in (("\ufeff" + text).encode(), text.encode("cp1252")):
        [row] = read_table("export.csv", content)
        assert row == {"leerlingnummer": "1", "roepnaam": "Zoë",
                       "leerweg": "Kaderberoepsgerichte leerweg"}  # fmt: skip
