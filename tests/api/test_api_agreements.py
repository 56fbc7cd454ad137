"""Placement agreements (issue 16) through the HTTP API: opened by a confirmation, filled in by
company and school, checked against the working-time rules for minors, signed per party,
printed, scoped per role, and gone with the pupil's erasure."""

from __future__ import annotations

import io

import pytest
from agreement_world import AT_14, AT_16, confirmed_placement, fill_in
from api_world import ok
from pypdf import PdfReader
from sqlmodel import Session, select

from api.models import (
    Agreement,
    AgreementParty,
    NotificationKind,
    OutboxMessage,
    PupilBirthDate,
    SignatureBody,
    User,
)
from api.services import agreements
from api.services.errors import Conflict


def sign(world, headers, agreement, party, name="Henk Smit"):  # type: ignore[no-untyped-def]
    body = {"party": party, "name": name, "version": agreement["version"]}
    return world.client.post(
        f"/agreements/{agreement['id']}/signatures", headers=headers, json=body
    )


def audit_actions(world, aid):  # type: ignore[no-untyped-def]
    entries = ok(world.client.get(f"/audit?entity=agreement&entity_id={aid}", headers=world.bureau))
    return [e["action"] for e in reversed(entries)]


def asked_to_sign(world) -> list[tuple[str, str]]:  # type: ignore[no-untyped-def]
    """(user, subject) of every queued "waits for your signature" mail, oldest first."""
    with Session(world.client.app.state.engine) as session:
        rows = session.exec(
            select(User.email, OutboxMessage.subject)
            .join(User, User.id == OutboxMessage.user_id)
            .where(OutboxMessage.kind == NotificationKind.agreement_to_sign)
            .order_by(OutboxMessage.id)
        ).all()
    return [(email.split("@")[0], subject) for email, subject in rows]


def test_a_confirmed_placement_is_signed_end_to_end_once_the_hours_fit_a_minor(world):
    c = world.client
    placed = confirmed_placement(world)
    agreement, aid = placed.agreement, placed.agreement["id"]
    # The confirmation asks both sides to sign, by mail through the outbox.
    asked = asked_to_sign(world)
    assert sorted(who for who, _ in asked) == ["company", "school"]
    assert f"Stageovereenkomst {agreement['student']} bij" in asked[0][1]
    # And their to-do lists say so.
    for headers in (world.company, world.school):
        todo = {i["kind"]: i for i in ok(c.get("/todo", headers=headers))}
        assert (todo["agreements"]["count"], todo["agreements"]["link"]) == (1, "/app/agreements")
    # The period's days, without the holiday Friday; what is missing before anyone signs.
    assert (agreement["first_day"], agreement["last_day"], len(agreement["days"])) == (
        "2027-03-08",
        "2027-03-19",
        9,
    )
    missing = {p["field"] for p in agreement["problems"] if p["rule"] == "missing"}
    assert missing == {"supervisor_name", "school_contact_name", "birth_date"}
    # Each party fills in only its own part, and bad input names the field.
    refused = c.patch(
        f"/agreements/{aid}",
        headers=world.school,
        json={"version": agreement["version"], "supervisor_name": "Iemand"},
    )
    assert refused.status_code == 422 and refused.json()["detail"][0]["loc"] == [
        "body",
        "supervisor_name",
    ]
    late = c.patch(
        f"/agreements/{aid}",
        headers=world.company,
        json={"version": agreement["version"], "day_start": "16:00", "day_end": "09:00"},
    )
    assert late.status_code == 422 and "day_end" in late.json()["detail"][0]["loc"]

    # 7 hours a day with 4 lesson hours make 39 in the full week: a 14-year-old may do 35.
    agreement = fill_in(world, placed, AT_14)
    assert agreement["parties"] == ["school", "company", "pupil", "parent"]
    assert [(p["rule"], p["week"], p["hours"], p["limit"]) for p in agreement["problems"]] == [
        ("week_hours", "2027-W11", 39.0, 35.0)
    ]
    refused = sign(world, world.company, agreement, "company")
    assert refused.status_code == 409 and "week_hours" in refused.json()["detail"]
    assert "2027-W11" in refused.json()["detail"]

    body = {"version": agreement["version"], "day_start": "09:00", "day_end": "15:30"}
    agreement = ok(c.patch(f"/agreements/{aid}", headers=world.company, json=body))
    assert agreement["problems"] == []
    agreement = ok(sign(world, world.company, agreement, "company"))
    assert agreement["signatures"]["company"]["name"] == "Henk Smit"
    # A role signs only for its parties.
    assert sign(world, world.company, agreement, "pupil").status_code == 403
    # A change of the hours after a signature clears it.
    body = {"version": agreement["version"], "break_minutes": 45}
    agreement = ok(c.patch(f"/agreements/{aid}", headers=world.company, json=body))
    assert agreement["signatures"] == {} and agreement["status"] == "open"
    # The school's contact is no working hour: a signature stays when it changes.
    agreement = ok(sign(world, world.company, agreement, "company"))
    body = {"version": agreement["version"], "school_contact_phone": "074 000 0000"}
    agreement = ok(c.patch(f"/agreements/{aid}", headers=world.school, json=body))
    assert set(agreement["signatures"]) == {"company"}

    before_school = len(asked_to_sign(world))
    for party, name in (("school", "Mw. De Vries"), ("pupil", "Sam"), ("parent", "J. Jansen")):
        agreement = ok(sign(world, world.school, agreement, party, name))
    assert agreement["status"] == "signed" and agreement["signed_at"]
    # Each signature that leaves the school's parties to sign asks the school again, never the
    # company, which has signed; the last signature asks nobody.
    assert [who for who, _ in asked_to_sign(world)[before_school:]] == ["school", "school"]
    assert "agreements" not in {i["kind"] for i in ok(c.get("/todo", headers=world.school))}
    assert sign(world, world.school, agreement, "school").status_code == 409
    actions = audit_actions(world, aid)
    assert actions[0] == "create" and "clear_signatures" in actions
    assert actions.count("sign") == 5 and actions[-1] == "signed"
    # The trail keeps who signed when, never a typed name (a parent's name).
    trail = c.get(f"/audit?entity=agreement&entity_id={aid}", headers=world.bureau).text
    assert "J. Jansen" not in trail

    # The printed agreement: Dutch, the parties, hours, and who signed.
    pdf = c.get(f"/agreements/{aid}/pdf", headers=world.school)
    assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(pdf.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    flat = " ".join(text.split())
    box = reader.pages[0].mediabox
    assert (round(box.width), round(box.height)) == (595, 842)  # A4 in points
    for expected in (
        "Stageovereenkomst",
        "Bedrijf C1",
        "Vmbo S1",
        "Henk Smit",
        "Mw. De Vries",
        "van 09:00 tot 15:30 uur, met 45 minuten pauze",
        "ma 8 maart 2027",
        "9 stagedagen",
        "De werktijden voldoen aan de regels voor jongeren.",
        "Ouder of verzorger",
        "Getekend door J. Jansen",
        f"leerlingcode {placed.student}",
        "Volledige naam leerling",
    ):
        assert expected in flat, expected
    # The pupil's and the parent's typed names are the school's: the company reads that and
    # when they signed, not who (on the API and on paper).
    seen = ok(c.get(f"/agreements/{aid}", headers=world.company))["signatures"]
    assert "name" not in seen["parent"] and "name" not in seen["pupil"] and seen["parent"]["at"]
    assert seen["company"]["name"] == "Henk Smit"
    printed = PdfReader(io.BytesIO(c.get(f"/agreements/{aid}/pdf", headers=world.company).content))
    assert "J. Jansen" not in " ".join(page.extract_text() for page in printed.pages)
    # Another birth date may bring other rules: every party signs again.
    birth = ok(c.get(f"/pupils/{placed.pupil_id}/birth-date", headers=world.school))
    body = {"birth_date": "2012-09-30", "version": birth["version"]}
    ok(c.put(f"/pupils/{placed.pupil_id}/birth-date", headers=world.school, json=body))
    reopened = ok(c.get(f"/agreements/{aid}", headers=world.company))
    assert reopened["status"] == "open" and reopened["signatures"] == {}
    # So may a birth date deleted and entered anew: what was signed before is signed again.
    reopened = ok(sign(world, world.company, reopened, "company"))
    assert c.delete(f"/pupils/{placed.pupil_id}/birth-date", headers=world.school).status_code < 300
    assert ok(c.get(f"/agreements/{aid}", headers=world.company))["signatures"] == {}
    reopened = ok(sign(world, world.company, fill_in(world, placed, AT_16), "company"))
    assert c.delete(f"/pupils/{placed.pupil_id}/birth-date", headers=world.school).status_code < 300
    body = {"birth_date": AT_14}
    ok(c.put(f"/pupils/{placed.pupil_id}/birth-date", headers=world.school, json=body))
    assert ok(c.get(f"/agreements/{aid}", headers=world.company))["signatures"] == {}


def test_scope_the_birth_date_is_the_schools_alone(world):
    c = world.client
    placed = confirmed_placement(world)
    aid, pid = placed.agreement["id"], placed.pupil_id
    fill_in(world, placed, AT_16)
    assert ok(c.get(f"/pupils/{pid}/birth-date", headers=world.school))["birth_date"] == AT_16
    for headers in (world.bureau, world.company):
        assert c.get(f"/pupils/{pid}/birth-date", headers=headers).status_code == 403
        assert AT_16 not in c.get("/agreements", headers=headers).text
        assert AT_16 not in c.get(f"/agreements/{aid}/pdf", headers=headers).text
    assert AT_16 not in c.get("/audit", headers=world.bureau).text
    # At 16 on the first day no parent signs.
    agreement = ok(c.get(f"/agreements/{aid}", headers=world.school))
    assert agreement["parties"] == ["school", "company", "pupil"]
    assert sign(world, world.school, agreement, "parent").status_code == 422
    # Another school and another company do not find the agreement.
    assert c.get(f"/agreements/{aid}", headers=world.other_school).status_code == 404
    assert c.get(f"/agreements/{aid}/pdf", headers=world.other_company).status_code == 404
    assert ok(c.get("/agreements", headers=world.other_company)) == []
    # No birth date for a pupil without a confirmed placement: refused naming the pupil.
    other = next(code for code in ("st1", "st2", "st3") if code != placed.student)
    refused = c.put(
        f"/pupils/{world.ids[other]}/birth-date", headers=world.school, json={"birth_date": AT_16}
    )
    assert refused.status_code == 409 and other in refused.json()["detail"]
    assert c.get(f"/pupils/{world.ids[other]}/birth-date", headers=world.school).status_code == 404
    # Another school's pupil is not found.
    assert c.get(f"/pupils/{pid}/birth-date", headers=world.other_school).status_code == 404


def test_export_holds_the_birth_date_for_the_school_and_erasure_takes_it(world, engine):
    c = world.client
    placed = confirmed_placement(world)
    fill_in(world, placed, AT_14)
    pid = placed.pupil_id
    export = ok(c.get(f"/pupils/{pid}/export", headers=world.school))
    assert export["birth_date"] == AT_14 and len(export["agreements"]) == 1
    bureau_export = ok(c.get(f"/pupils/{pid}/export", headers=world.bureau))
    assert bureau_export["birth_date"] is None and AT_14 not in str(bureau_export)
    ok(c.post(f"/pupils/{pid}/erase", headers=world.school))
    assert ok(c.get("/agreements", headers=world.bureau)) == []
    with Session(engine) as session:
        assert session.exec(select(PupilBirthDate)).all() == []
        assert session.exec(select(Agreement)).all() == []
    trail = c.get("/audit", headers=world.bureau).text
    assert placed.student not in trail and "Henk Smit" in trail


def test_a_decline_after_confirming_withdraws_the_agreement(world):
    c = world.client
    placed = confirmed_placement(world)
    decline = {"student": placed.student, "status": "declined", "reason": "te ver"}
    ok(c.post(f"/rounds/{placed.round_id}/responses", headers=world.company, json=decline), 201)
    agreement = ok(c.get(f"/agreements/{placed.agreement['id']}", headers=world.school))
    assert agreement["status"] == "withdrawn"
    assert sign(world, world.school, agreement, "school").status_code == 409


def test_two_parties_signing_at_once_never_lose_a_signature(world, engine):
    """Both read one version; the first signature stands, the second is refused (409) rather
    than written over it."""
    placed = confirmed_placement(world)
    agreement = fill_in(world, placed, AT_16)
    aid, version = agreement["id"], agreement["version"]
    with Session(engine) as first, Session(engine) as second:
        company = first.exec(select(User).where(User.role == "company")).first()
        school = second.exec(
            select(User).where(User.role == "school", User.school_id == agreement["school_id"])
        ).first()
        read = (first.get(Agreement, aid), second.get(Agreement, aid))  # both at one version
        assert read[0].version == read[1].version == version
        body = SignatureBody(party=AgreementParty.company, name="Henk Smit", version=version)
        agreements.sign(first, company, aid, body)
        body = SignatureBody(party=AgreementParty.school, name="Mw. De Vries", version=version)
        with pytest.raises(Conflict, match="changed meanwhile"):
            agreements.sign(second, school, aid, body)
    stored = ok(world.client.get(f"/agreements/{aid}", headers=world.school))
    assert set(stored["signatures"]) == {"company"} and stored["version"] == version + 1
