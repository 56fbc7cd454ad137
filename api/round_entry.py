"""Which pupils a fresh solve of a round plans, when the round has placement requests.

A round without requests plans every pupil of its snapshot, as rounds always did. A round with
requests plans only the pupils whose request entered it (approved by the mentor), each with the
wishes of its request; the others leave the document whole: their student record, the
together/apart pairs, elective and event-day choices that name them (a pair of one pupil in and
one out means nothing to the solve). Kept apart from the services because the solve job reads
it (`api.jobs.job_plan`) and the job module sits below the services.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

# A request's wishes as its solve job carries them: pupil code -> {"preferences", ...}.
Entries = Mapping[str, Mapping[str, Any]]


def entered_document(document: dict[str, Any], entries: Entries | None) -> dict[str, Any]:
    """`document` with only the pupils of `entries`, each with its request's wishes; the
    document itself when the round has no requests (`entries` None)."""
    if entries is None:
        return document
    students = [
        {**student, **entries[student["id"]]}
        for student in document.get("students", [])
        if student["id"] in entries
    ]
    entered = {**document, "students": students}
    for kind in ("together", "apart"):
        if kind in document:
            entered[kind] = [pair for pair in document[kind] if all(p in entries for p in pair)]
    for kind in ("elective_requests", "event_requests"):
        if kind in document:
            entered[kind] = [r for r in document[kind] if r["student"] in entries]
    return entered
