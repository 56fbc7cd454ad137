"""The bureau's menu of demand (menukaart): what the region's classes and teachers ask for,
grouped into items the companies sign up for (`api.services.menu_sign_ups`).

Regions that run a central bureau publish their year's demand once ("12 klassen PIE zoeken een
bedrijfsbezoek in de sector energie, maart-mei") instead of every school asking every company
separately. Items are generated from the stored demand (`SchoolClass.demand`,
`Teacher.demand`), one per activity kind x profile (a class's) or sectors (a teacher's) x
window, the months a requester's dated free dayparts cover or else the region's school year.
A new generation refreshes the counts of the items it made before, even after the bureau
edited their words or window, adds items for new demand and drops drafts nobody asks for any
more. The bureau edits an item's title, description, window, wanted count and sectors, then
publishes; only published items are seen by schools and companies, and as counts only: how
many classes or teachers, activities and schools, never which.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import update
from sqlmodel import Session, col, select

from api import audit
from api.db import saved_id
from api.models import (
    MenuItem,
    MenuItemPublic,
    MenuItemStatus,
    MenuItemUpdate,
    MenuSignUp,
    Region,
    Role,
    SchoolClass,
    Teacher,
    User,
    utcnow,
)
from api.services.errors import Conflict, Forbidden, NotFound, field_error
from api.services.records import commit
from scheduler.calendar import Pattern
from scheduler.contract.round import ActivityKind, Profile
from scheduler.validation import InvalidRound, parse_calendar

# The sectors ("worlds of technology") a class of a profile usually visits: a suggestion the
# bureau edits, since classes carry a profile and no sector of their own.
PROFILE_SECTORS: dict[str, tuple[str, ...]] = {
    "BWI": ("bouw",),
    "PIE": ("energie",),
    "MT": ("mobiliteit",),
    "MVI": ("ict",),
    "MaT": ("maken",),
    "ZW": ("zorgtech",),
    "HBR": ("voeding",),
    "GR": ("voeding",),
}
KIND_WORDS = {
    "excursion": "een bedrijfsbezoek",
    "guest_lesson": "een gastles",
    "teacher_internship": "een docentenstage",
}
MONTHS = (
    "januari", "februari", "maart", "april", "mei", "juni",
    "juli", "augustus", "september", "oktober", "november", "december",
)  # fmt: skip


@dataclass
class Demand:
    """The demand of one item-to-be: who asks (ids per school) and for how many activities."""

    kind: ActivityKind
    profile: Profile | None
    sectors: tuple[str, ...]  # a teacher's sectors; a class's suggested ones
    start: date
    end: date
    teacher: bool
    requesters: int = 0
    activities: int = 0
    schools: set[int] = field(default_factory=set)

    @property
    def key(self) -> str:
        sectors = ",".join(self.sectors) if self.teacher else ""
        return f"{self.kind}|{self.profile or ''}|{sectors}|{self.start}|{self.end}"

    def title(self) -> str:
        """The item's Dutch words, as the bureau would write them (it may rewrite them)."""
        who = ("docent" if self.teacher else "klas") + (
            ("en" if self.teacher else "sen") if self.requesters != 1 else ""
        )
        profile = f" {self.profile}" if self.profile else ""
        verb = "zoekt" if self.requesters == 1 else "zoeken"
        sector = f" in de sector {', '.join(self.sectors)}" if self.sectors else ""
        return (
            f"{self.requesters} {who}{profile} {verb} {KIND_WORDS[self.kind]}{sector}, "
            f"{window_words(self.start, self.end)}"
        )


def window_words(start: date, end: date) -> str:
    """'maart-mei', or one month's name, or the year's months across a new year."""
    first, last = MONTHS[start.month - 1], MONTHS[end.month - 1]
    if (start.year, start.month) == (end.year, end.month):
        return f"{first} {start.year}"
    return f"{first}–{last}"


def month_end(day: date) -> date:
    following = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return following - timedelta(days=1)


def requester_window(free: Iterable[str], start: date, end: date) -> tuple[date, date]:
    """The months a requester's dated free dayparts cover (clipped to the school year); a
    weekly free daypart, or none at all, means the whole school year."""
    patterns = [Pattern.parse(text) for text in free]
    days = [p.day for p in patterns if p.day is not None]
    if not patterns or len(days) != len(patterns):
        return start, end
    first = max(start, min(days).replace(day=1))
    last = min(end, month_end(max(days)))
    return (first, last) if first <= last else (start, end)


def school_year(session: Session, region_id: int) -> tuple[date, date]:
    """The region's school year, which every item's window lies in; refused without one."""
    region = session.get(Region, region_id)
    if region is None or not region.calendar:
        raise field_error(
            "calendar",
            "the region has no school year: set it first (PATCH /region)",
            kind="menu.no_school_year",
        )
    try:
        calendar = parse_calendar(region.calendar)
    except InvalidRound as error:  # pragma: no cover - PATCH /region checks it already
        raise field_error("calendar", str(error), kind="menu.bad_school_year") from None
    return calendar.start, calendar.end


@dataclass(frozen=True)
class Requester:
    """A class or a teacher as the menu counts it: what it asks for, when it is free."""

    wants: dict[ActivityKind, int]
    free: list[str]
    school_id: int
    profile: Profile | None
    sectors: tuple[str, ...]
    teacher: bool


def requesters_of(session: Session, region_id: int) -> list[Requester]:
    classes = session.exec(select(SchoolClass).where(SchoolClass.region_id == region_id))
    teachers = session.exec(select(Teacher).where(Teacher.region_id == region_id))
    return [
        *(Requester(k.demand, k.free, k.school_id, k.profile, (), False) for k in classes),
        *(
            Requester(t.demand, t.free, t.school_id, None, tuple(sorted(t.sectors)), True)
            for t in teachers
        ),
    ]


def demand_of(session: Session, region_id: int) -> list[Demand]:
    """Every item's demand from the region's classes and teachers, in a stable order."""
    start, end = school_year(session, region_id)
    groups: dict[str, Demand] = {}
    for asker in requesters_of(session, region_id):
        first, last = requester_window(asker.free, start, end)
        for kind, count in sorted(asker.wants.items()):
            if count <= 0:
                continue
            suggested = asker.sectors or PROFILE_SECTORS.get(asker.profile or "", ())
            entry = Demand(kind, asker.profile, suggested, first, last, asker.teacher)
            entry = groups.setdefault(entry.key, entry)
            entry.requesters += 1
            entry.activities += count
            entry.schools.add(asker.school_id)
    return sorted(groups.values(), key=lambda d: (d.kind, d.profile or "", d.sectors, d.start))


def next_code(taken: set[str]) -> str:
    number = len(taken) + 1
    while f"M{number}" in taken:
        number += 1
    return f"M{number}"


def standing_sign_ups(session: Session, item_ids: Iterable[int]) -> dict[int, list[MenuSignUp]]:
    """The sign-ups of each item that still stand (not withdrawn, their offer still there)."""
    ids = list(item_ids)
    rows = session.exec(
        select(MenuSignUp).where(
            col(MenuSignUp.item_id).in_(ids),
            col(MenuSignUp.withdrawn_at).is_(None),
            col(MenuSignUp.offer_id).is_not(None),
        )
    ).all()
    by_item: dict[int, list[MenuSignUp]] = defaultdict(list)
    for row in rows:
        by_item[row.item_id].append(row)
    return by_item


def item_public(item: MenuItem, sign_ups: list[MenuSignUp]) -> MenuItemPublic:
    return MenuItemPublic.model_validate(
        {
            **item.model_dump(),
            "capacity": sum(s.capacity for s in sign_ups),
            "sign_ups": len({s.company_id for s in sign_ups}),
        }
    )


def visible_items(session: Session, user: User) -> list[MenuItem]:
    """The bureau sees its drafts too; schools and companies the published menu only."""
    query = select(MenuItem).where(MenuItem.region_id == user.region_id)
    if user.role != Role.bureau:
        query = query.where(MenuItem.status == MenuItemStatus.published)
    return sorted(session.exec(query).all(), key=item_order)


def item_order(item: MenuItem) -> tuple[int, str]:
    digits = item.code[1:]
    return (int(digits) if digits.isdigit() else 0, item.code)


def list_items(session: Session, user: User) -> list[MenuItemPublic]:
    """The menu in the user's scope, in code order, each with its standing capacity."""
    items = visible_items(session, user)
    sign_ups = standing_sign_ups(session, (saved_id(i) for i in items))
    return [item_public(i, sign_ups.get(saved_id(i), [])) for i in items]


def get_item(session: Session, user: User, item_id: int) -> MenuItem:
    """An item the user may see; a draft is the bureau's alone (404 to others)."""
    item = session.get(MenuItem, item_id)
    if (
        item is None
        or item.region_id != user.region_id
        or (user.role != Role.bureau and item.status != MenuItemStatus.published)
    ):
        raise NotFound(
            f"no menu item {item_id} in your scope", code="menu.not_found", params={"item": item_id}
        )
    return item


def read_item(session: Session, user: User, item_id: int) -> MenuItemPublic:
    item = get_item(session, user, item_id)
    return item_public(item, standing_sign_ups(session, [item_id]).get(item_id, []))


def generate(session: Session, user: User) -> list[MenuItemPublic]:
    """Count the region's demand into items: refresh the counts of items made before, add
    drafts for new demand, drop drafts nobody asks for any more (published ones stay, at 0)."""
    if user.role != Role.bureau:
        raise Forbidden("only the bureau generates the menu", code="menu.bureau_only")
    demand = demand_of(session, user.region_id)
    items = session.exec(select(MenuItem).where(MenuItem.region_id == user.region_id)).all()
    by_key = {item.group_key: item for item in items}
    taken = {item.code for item in items}
    wanted_keys = {d.key for d in demand}
    for entry in demand:
        item = by_key.get(entry.key)
        counts = {
            "requesters": entry.requesters,
            "activities": entry.activities,
            "schools": len(entry.schools),
        }
        if item is None:
            code = next_code(taken)
            taken.add(code)
            item = MenuItem(
                region_id=user.region_id,
                code=code,
                group_key=entry.key,
                kind=entry.kind,
                profile=entry.profile,
                title=entry.title()[:200],
                window_start=entry.start,
                window_end=entry.end,
                wanted=entry.activities,
                sectors=list(entry.sectors),
                requesters=entry.requesters,
                activities=entry.activities,
                schools=len(entry.schools),
            )
            session.add(item)
            session.flush()
            audit.record(
                session, user, "generate", "menu_item", item.id, after=audit.snapshot(item)
            )
        elif any(getattr(item, name) != value for name, value in counts.items()):
            before = audit.snapshot(item)
            for name, value in counts.items():
                setattr(item, name, value)
            item.version += 1
            session.add(item)
            audit.record(
                session, user, "recount", "menu_item", item.id,
                before=before, after=audit.snapshot(item),
            )  # fmt: skip
    for item in items:
        if item.group_key in wanted_keys:
            continue
        before = audit.snapshot(item)
        if item.status == MenuItemStatus.draft:
            session.delete(item)
            audit.record(session, user, "delete", "menu_item", item.id, before=before)
        elif item.requesters or item.activities or item.schools:
            item.requesters = item.activities = item.schools = 0
            item.version += 1
            session.add(item)
            audit.record(
                session, user, "recount", "menu_item", item.id,
                before=before, after=audit.snapshot(item),
            )  # fmt: skip
    commit(session)
    return list_items(session, user)


def update_item(session: Session, user: User, item_id: int, body: MenuItemUpdate) -> MenuItemPublic:
    """The bureau's words for an item; its window stays while companies are signed up on it
    (their offers' dayparts lie in it)."""
    if user.role != Role.bureau:
        raise Forbidden("only the bureau edits the menu", code="menu.bureau_only")
    item = get_item(session, user, item_id)
    if item.version != body.version:
        raise Conflict(
            f"stale version {body.version}: menu item {item.code} is at {item.version}",
            code="menu.stale_version",
            params={"item": item.code},
        )
    changes = body.model_dump(exclude_unset=True, exclude={"version"})
    for name in ("title", "window_start", "window_end", "wanted", "sectors"):
        if name in changes and changes[name] is None:
            raise field_error(
                name, f"menu item {item.code} needs a {name}", kind="menu.needs_value"
            )
    start = changes.get("window_start", item.window_start)
    end = changes.get("window_end", item.window_end)
    if end < start:
        raise field_error(
            "window_end",
            f"menu item {item.code}: the window ends before {start}",
            kind="menu.window_ends_before",
            ctx={"start": str(start)},
        )
    sign_ups = standing_sign_ups(session, [item_id]).get(item_id, [])
    if sign_ups and (start, end) != (item.window_start, item.window_end):
        raise Conflict(
            [{"loc": ["body", "window_start"],
              "msg": f"menu item {item.code} has {len(sign_ups)} sign-ups whose dayparts lie in "
                     "its window: keep the window, or ask them to withdraw first"}],
          code="menu.window_signed_up",
          params={"item": item.code, "count": len(sign_ups)},
        )  # fmt: skip
    if "description" in changes and changes["description"] is None:
        changes["description"] = ""
    before = audit.snapshot(item)
    # The conditional UPDATE closes the race between two editors that both read this version.
    bumped = session.exec(
        update(MenuItem)
        .where(col(MenuItem.id) == item_id, col(MenuItem.version) == body.version)
        .values(version=body.version + 1)
    )
    if bumped.rowcount != 1:
        session.rollback()
        raise Conflict(
            f"stale version: menu item {item.code} changed meanwhile",
            code="menu.stale_version",
            params={"item": item.code},
        )
    for name, value in changes.items():
        setattr(item, name, value)
    item.version = body.version + 1
    session.add(item)
    audit.record(
        session, user, "update", "menu_item", item.id, before=before, after=audit.snapshot(item)
    )
    commit(session)
    return item_public(item, sign_ups)


def publish(session: Session, user: User) -> list[MenuItemPublic]:
    """Put every draft item on the published menu: from now on companies sign up for it and
    schools read it."""
    if user.role != Role.bureau:
        raise Forbidden("only the bureau publishes the menu", code="menu.bureau_only")
    drafts = session.exec(
        select(MenuItem).where(
            MenuItem.region_id == user.region_id, MenuItem.status == MenuItemStatus.draft
        )
    ).all()
    if not drafts:
        raise Conflict(
            "the menu has no draft items to publish: generate it first", code="menu.no_drafts"
        )
    now = utcnow()
    for item in drafts:
        before = audit.snapshot(item)
        item.status, item.published_at = MenuItemStatus.published, now
        item.version += 1
        session.add(item)
        audit.record(
            session,
            user,
            "publish",
            "menu_item",
            item.id,
            before=before,
            after=audit.snapshot(item),
        )
    commit(session)
    return list_items(session, user)


def menu_items_open(session: Session, user: User) -> list[MenuItemPublic]:
    """For a to-do list: the bureau's published items nobody signed up for yet; a company's
    published items it has not signed up for that still want more than is offered; nothing for
    a school (it has no part to play on the menu)."""
    if user.role == Role.school:
        return []
    items = [i for i in list_items(session, user) if i.status == MenuItemStatus.published]
    if user.role == Role.bureau:
        return [i for i in items if i.sign_ups == 0]
    mine = set(
        session.exec(
            select(MenuSignUp.item_id).where(
                MenuSignUp.company_id == user.company_id,
                col(MenuSignUp.withdrawn_at).is_(None),
                col(MenuSignUp.offer_id).is_not(None),
            )
        ).all()
    )
    return [i for i in items if i.id not in mine and i.capacity < i.wanted]
