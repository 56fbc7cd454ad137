"""School-system files as the tests feed them: iCalendar timetables and EDEXML exports."""

from __future__ import annotations


def ics(*events: str) -> bytes:
    body = "".join(f"BEGIN:VEVENT\r\n{e}\r\nEND:VEVENT\r\n" for e in events)
    return f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//t//NL\r\n{body}END:VCALENDAR\r\n".encode()


def weekly(uid: str, start: str, end: str, days: str) -> str:
    """A lesson every week on `days` of the March calendar (1-12 March 2027), UTC times."""
    return (
        f"UID:{uid}\r\nSUMMARY:{uid}\r\nDTSTART:20270301T{start}Z\r\nDTEND:20270301T{end}Z\r\n"
        f"RRULE:FREQ=WEEKLY;BYDAY={days};UNTIL=20270313T000000Z"
    )


# Lessons every morning and every afternoon but Tuesday's (08:30-12:00 and 13:00-15:30, CET).
MORNINGS = weekly("ochtend", "073000", "110000", "MO,TU,WE,TH,FR")
AFTERNOONS = weekly("middag", "120000", "143000", "MO,WE,TH,FR")
TUESDAY_AFTERNOONS = weekly("toets", "120000", "143000", "TU")


GROUPS = ["3KB-PIE", "3BB-PIE", "4KB-MVI", "4GL-BWI"]


def edexml(pupils: int, broken: dict[int, str] | None = None) -> bytes:
    """An EDEXML 2.1 document as a school administration exports it, with everything it
    offers about a pupil (surname, birth date, postcode, e-mail); `broken` replaces the
    element text of pupil i's `roepnaam` and `voornamen` (empty: the pupil has no name)."""
    groups = "".join(
        f'<groep key="g{i}"><naam>{name}</naam><jaargroep>{name[0]}</jaargroep></groep>'
        for i, name in enumerate(GROUPS)
    )
    rows = []
    for i in range(pupils):
        name = (broken or {}).get(i, f"Kind{i}")
        rows.append(
            f'<leerling key="ll{i:04d}"><achternaam>Jansen</achternaam>'
            f"<voornamen>{name}</voornamen><roepnaam>{name}</roepnaam>"
            f"<geboortedatum>2011-0{1 + i % 9}-1{i % 9}</geboortedatum>"
            f"<geslacht>{1 + i % 2}</geslacht>"
            f"<postcode>75{11 + i % 40} AB</postcode><emailadres>ll{i}@school.nl</emailadres>"
            f'<groep key="g{i % len(GROUPS)}"/></leerling>'
        )
    teachers = (
        '<leerkracht key="doc1"><achternaam>Bakker</achternaam><roepnaam>Els</roepnaam>'
        '<emailadres>els@school.nl</emailadres><groepen><groep key="g0"/></groepen></leerkracht>'
    )
    return (
        '<?xml version="1.0" encoding="UTF-8"?><EDEX><school><schooljaar>2026-2027</schooljaar>'
        f"<brincode>99XX</brincode></school><groepen>{groups}</groepen>"
        f"<leerlingen>{''.join(rows)}</leerlingen><leerkrachten>{teachers}</leerkrachten></EDEX>"
    ).encode()
