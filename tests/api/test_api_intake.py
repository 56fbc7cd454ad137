"""School intake over the API: a Somtoday or Magister export uploaded as it is, a preview that
stores nothing, the home postcode kept only as its PC4 centroid, and the teachers' upload."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

from api_world import ok
from sqlmodel import Session, select

from api.models import IntakeDraft, User, utcnow
from api.services.intake import DRAFT_TTL
from api.services.outbox import run_outbox

SOMTODAY = (
    "\ufeffLeerlingnummer;Roepnaam;Achternaam;Klas;Leerweg;Profiel;Leerjaar;Postcode;Vervoer\r\n"
    "450001;Daan;de Vries;K1;Kaderberoepsgerichte leerweg;Produceren, installeren en energie;3;"
    "7511 AB;fiets\r\n"
    "450002;Zoë;Bakker;K1;Basisberoepsgerichte leerweg;PIE;3;7522;OV\r\n"
)


def pupils(world) -> dict[str, dict]:
    return {p["code"]: p for p in ok(world.client.get("/pupils", headers=world.bureau))}


def with_class(world) -> None:
    klass = {"code": "K1", "year": 3, "profile": "PIE", "size": 20}
    ok(world.client.post("/classes", headers=world.school, json=klass), 201)


def test_preview_stores_nothing_and_the_upload_stores_the_pc4_centroid_only(world):
    with_class(world)
    before = pupils(world)
    preview = ok(world.client.post("/uploads/pupils/preview", headers=world.school,
                                   files={"file": ("export.csv", SOMTODAY.encode())}))  # fmt: skip
    assert preview["problems"] == [] and (preview["created"], preview["updated"]) == (2, 0)
    assert preview["columns"]["track"] == "leerweg" and "achternaam" in preview["ignored"]
    first = preview["rows"][0]
    assert first["code"] == "S1-450001" and first["track"] == "kb" and first["mode"] == "bike"
    assert (first["home_lat"], first["home_lon"]) == (52.22, 6.9009)  # PC4 7511's centroid
    assert "achternaam" not in json.dumps(preview["rows"]) and "de Vries" not in str(preview)
    assert pupils(world) == before

    # The upload itself stores every row, of the postcode only the PC4 centroid.
    assert ok(world.client.post("/uploads/pupils", headers=world.school,
                                files={"file": ("export.csv", SOMTODAY.encode("utf-8"))})
              ) == {"created": 2, "updated": 0}  # fmt: skip
    stored = pupils(world)
    daan = stored["S1-450001"]
    assert (daan["profile"], daan["track"], daan["year"], daan["mode"]) == ("PIE", "kb", 3, "bike")
    assert (daan["home_lat"], daan["home_lon"]) == (52.22, 6.9009) and daan["class_id"]
    assert "postcode" not in daan and "7511" not in json.dumps(stored)
    assert stored["S1-450002"]["mode"] == "public_transport"


def test_a_bad_row_stores_nothing_and_names_row_and_field(world):
    with_class(world)
    before = pupils(world)
    bad = SOMTODAY.replace("7522;OV", "0000;OV").replace(";3;7511", ";zeven;7511")
    response = world.client.post("/uploads/pupils", headers=world.school,
                                 files={"file": ("export.csv", bad.encode())})  # fmt: skip
    assert response.status_code == 422
    found = {(p["row"], p["column"]) for p in response.json()["detail"]}
    assert found == {(2, "leerjaar (year)"), (3, "postcode")}
    assert "unknown postcode area '0000'" in json.dumps(response.json())
    assert pupils(world) == before


def test_a_missing_required_column_is_one_problem_naming_field_and_headers(world):
    text = "Leerlingnummer;Achternaam;Leerweg;Profiel;Leerjaar\n1;Jansen;kb;PIE;3\n"
    response = world.client.post("/uploads/pupils/preview", headers=world.school,
                                 files={"file": ("x.csv", text.encode("cp1252"))})  # fmt: skip
    preview = ok(response)
    [problem] = preview["problems"]
    assert problem["column"] == "first_name" and "'achternaam'" in problem["reason"]
    # Picked by hand, the surname column would serve; the API takes the same choice.
    chosen = json.dumps({"first_name": "achternaam"})
    preview = ok(world.client.post("/uploads/pupils/preview", headers=world.school,
                                   data={"columns": chosen},
                                   files={"file": ("x.csv", text.encode())}))  # fmt: skip
    assert preview["problems"] == [] and preview["created"] == 1
    response = world.client.post(
        "/uploads/pupils", headers=world.school, data={"columns": "[1]"},
        files={"file": ("x.csv", text)},
    )  # fmt: skip
    assert response.status_code == 422 and response.json()["detail"][0]["loc"][-1] == "columns"


def test_teacher_upload_reads_dutch_dayparts_and_escort_all_or_nothing(world):
    text = ("Afkorting;Naam;Vrije dagdelen;Mag begeleiden;Docentenstage\n"
            "JAN;J. Jansen;di middag, do-o;ja;1\nPIE;P. Pieters;zondag;nee;0\n")  # fmt: skip
    response = world.client.post("/uploads/teachers", headers=world.school,
                                 files={"file": ("docenten.csv", text)})  # fmt: skip
    assert response.status_code == 422
    assert [(p["row"], p["column"]) for p in response.json()["detail"]] == [
        (3, "vrije dagdelen (free.0)")]  # fmt: skip
    assert ok(world.client.get("/teachers", headers=world.school)) == []
    text = text.replace("zondag", "vr-m")
    assert ok(world.client.post("/uploads/teachers", headers=world.school,
                                files={"file": ("docenten.csv", text)})
              ) == {"created": 2, "updated": 0}  # fmt: skip
    stored = {t["code"]: t for t in ok(world.client.get("/teachers", headers=world.school))}
    jan = stored["S1-JAN"]
    assert jan["free"] == ["tue-pm", "thu-am"] and jan["escort"] is True
    assert jan["demand"] == {"teacher_internship": 1} and stored["S1-PIE"]["escort"] is False
    preview = ok(world.client.post("/uploads/teachers/preview", headers=world.school,
                                   files={"file": ("docenten.csv", text)}))  # fmt: skip
    assert (preview["created"], preview["updated"]) == (0, 2)
    response = world.client.post("/uploads/teachers", headers=world.company,
                                 files={"file": ("docenten.csv", text)})  # fmt: skip
    assert response.status_code == 403


def test_a_school_file_waiting_for_confirmation_is_dropped_when_it_expires_or_a_pupil_goes(
    world, settings
):
    """A draft holds the whole file, unread columns too: the worker's loop drops it once it
    can no longer be imported, a pupil's erasure drops its school's at once."""
    engine = world.client.app.state.engine
    now = utcnow()

    def draft(age: timedelta) -> None:
        with Session(engine) as session:
            user = session.exec(select(User).where(User.role == "school")).first()
            kept = IntakeDraft(
                token_hash=uuid.uuid4().hex,
                user_id=user.id,
                school_id=user.school_id,
                kind="pupils",
                file_name="p.csv",
                content=b"code;achternaam\nx1;Jansen\n",
                created_at=now - age,
            )
            session.add(kept)
            session.commit()

    def waiting() -> int:
        with Session(engine) as session:
            return len(session.exec(select(IntakeDraft)).all())

    draft(DRAFT_TTL + timedelta(minutes=1))
    draft(timedelta(minutes=1))
    run_outbox(engine, settings, now)  # no mail server set: it sends nothing, drops the old file
    assert waiting() == 1
    erased = world.client.post(f"/pupils/{world.ids['st1']}/erase", headers=world.school)
    assert erased.status_code == 200 and waiting() == 0
