"""EDEXML 2.1, the Dutch exchange standard for pupils, groups and teachers, read into plain
records, every structural problem named by its record and field.

The structure (Edustandaard's EDEXML 2.1): a root `EDEX` holding `school`, `groepen/groep`
(attribute `key`; `naam`, `jaargroep`), `samengestelde_groepen/samengestelde_groep` (`key`;
`naam`), `leerlingen/leerling` (`key`; `achternaam`, `voorvoegsel`, `voornamen`, `roepnaam`,
`geboortedatum`, `geslacht`, `jaargroep`, `emailadres`, `groep key=...`, and
`samengestelde_groepen/samengestelde_groep key=...`) and `leerkrachten/leerkracht` (`key`;
`achternaam`, `roepnaam`, `emailadres`, `groepen/groep key=...`). A namespace, when the file
has one, is ignored. Checked: the root, the version (`school/xsdversie` 2.x when given), every
key present and once, every pupil's group among the file's groups, a first name, a whole-number
`jaargroep`. The XSD itself is not validated against.

Parsed with `defusedxml`, which refuses entity expansion and external entities (XXE, billion
laughs) before anything is read. A pupil's every element is handed on as offered, so the
minimisation (`api.imports.minimise`) can keep what the platform uses and name the rest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from xml.etree.ElementTree import Element

import defusedxml.ElementTree as safe_xml
from defusedxml import DefusedXmlException

from api.imports.report import ImportProblem


@dataclass(frozen=True)
class Group:
    key: str
    name: str
    year: str = ""


@dataclass(frozen=True)
class Teacher:
    key: str
    name: str
    offered: tuple[str, ...] = ()  # the elements the file had beyond key and names


@dataclass
class Edex:
    groups: dict[str, Group] = field(default_factory=dict)
    # Each pupil as offered: its key, every element's text by name, its group's key.
    pupils: list[dict[str, Any]] = field(default_factory=list)
    teachers: list[Teacher] = field(default_factory=list)


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def _children(parent: Element | None, name: str) -> list[Element]:
    return [] if parent is None else [c for c in parent if _local(c.tag) == name]


def _child(parent: Element, name: str) -> Element | None:
    found = _children(parent, name)
    return found[0] if found else None


def _text(parent: Element, name: str) -> str:
    element = _child(parent, name)
    return (element.text or "").strip() if element is not None else ""


def read_edexml(content: bytes) -> tuple[Edex, list[ImportProblem]]:
    """The records of an EDEXML file and every problem found (the caller refuses on any)."""
    try:
        root = safe_xml.fromstring(content)
    except DefusedXmlException as error:
        return Edex(), [
            ImportProblem(
                record="bestand",
                reason=f"refused XML: {error}",
                type="import.xml_refused",
                ctx={"error": str(error)},
            )
        ]
    except safe_xml.ParseError as error:
        return Edex(), [
            ImportProblem(
                record="bestand",
                reason=f"not well-formed XML: {error}",
                type="import.xml_malformed",
                ctx={"error": str(error)},
            )
        ]
    if _local(root.tag) != "EDEX":
        reason = f"the root element is <{_local(root.tag)}>, not <EDEX>"
        return Edex(), [
            ImportProblem(
                record="bestand",
                field="EDEX",
                reason=reason,
                type="import.edex_root",
                ctx={"root": _local(root.tag)},
            )
        ]
    edex, problems = Edex(), []
    school = _child(root, "school")
    version = _text(school, "xsdversie") if school is not None else ""
    if version and not version.startswith("2."):
        reason = f"EDEXML version {version}: this reader takes EDEXML 2.x"
        return edex, [
            ImportProblem(
                record="school",
                field="xsdversie",
                reason=reason,
                type="import.edex_version",
                ctx={"version": version},
            )
        ]
    for i, element in enumerate(_children(_child(root, "groepen"), "groep"), start=1):
        key, name = element.get("key", "").strip(), _text(element, "naam")
        record = f"groep {key or i}"
        if key in edex.groups:
            problems.append(
                ImportProblem(
                    record=record, field="key", reason="twice in the file", type="import.twice"
                )
            )
        elif not key:
            problems.append(
                ImportProblem(record=record, field="key", reason="missing", type="import.missing")
            )
        elif not name:
            problems.append(
                ImportProblem(record=record, field="naam", reason="missing", type="import.missing")
            )
        else:
            edex.groups[key] = Group(key, name, _text(element, "jaargroep"))
    keys: set[str] = set()
    for i, element in enumerate(_children(_child(root, "leerlingen"), "leerling"), start=1):
        pupil, found = _pupil(element, i, edex.groups)
        if pupil["code"] in keys:
            found.append(
                ImportProblem(
                    record=f"leerling {pupil['code']}",
                    field="key",
                    reason="twice in the file",
                    type="import.twice",
                )
            )
        keys.add(pupil["code"])
        problems += found
        if not found:
            edex.pupils.append(pupil)
    for i, element in enumerate(_children(_child(root, "leerkrachten"), "leerkracht"), start=1):
        key = element.get("key", "").strip()
        name = " ".join(p for p in (_text(element, "roepnaam"), _text(element, "achternaam")) if p)
        if not key or not name:
            missing = "key" if not key else "roepnaam"
            problems.append(
                ImportProblem(
                    record=f"leerkracht {key or i}",
                    field=missing,
                    reason="missing",
                    type="import.missing",
                )
            )
            continue
        offered = tuple(
            sorted({_local(c.tag) for c in element} - {"roepnaam", "achternaam", "groepen"})
        )
        edex.teachers.append(Teacher(key, name, offered))
    if not edex.pupils and not problems:
        problems.append(
            ImportProblem(
                record="bestand", field="leerlingen", reason="no pupils", type="import.no_pupils"
            )
        )
    return edex, problems


def _pupil(
    element: Element, number: int, groups: dict[str, Group]
) -> tuple[dict[str, Any], list[ImportProblem]]:
    """One pupil as offered, under the platform's names where it uses the field."""
    key = element.get("key", "").strip()
    record = f"leerling {key}" if key else f"leerling nr. {number}"
    offered: dict[str, Any] = {
        _local(c.tag): (c.text or "").strip()
        for c in element
        if _local(c.tag) not in ("groep", "samengestelde_groepen")
    }
    problems = []
    if not key:
        problems.append(
            ImportProblem(record=record, field="key", reason="missing", type="import.missing")
        )
    first_name = offered.pop("roepnaam", "") or offered.get("voornamen", "").split(" ")[0]
    if not first_name:
        problems.append(
            ImportProblem(
                record=record,
                field="roepnaam",
                reason="missing, and no voornamen either",
                type="import.no_first_name",
            )
        )
    group = _child(element, "groep")
    group_key = group.get("key", "").strip() if group is not None else ""
    if group_key and group_key not in groups:
        reason = f"no groep with key {group_key!r} in the file"
        problems.append(
            ImportProblem(
                record=record,
                field="groep",
                reason=reason,
                type="import.unknown_group",
                ctx={"group": group_key},
            )
        )
    year = offered.pop("jaargroep", "") or (groups[group_key].year if group_key in groups else "")
    if year and not year.isdigit():
        problems.append(
            ImportProblem(
                record=record,
                field="jaargroep",
                reason=f"not a whole number: {year!r}",
                type="import.not_whole_number",
                ctx={"value": year},
            )
        )
    if _child(element, "samengestelde_groepen") is not None:
        offered["samengestelde_groepen"] = "yes"
    pupil = {"code": key, "first_name": first_name, "year": int(year) if year.isdigit() else None,
             "group": group_key, **offered}  # fmt: skip
    return pupil, problems
