"""Clock times of a programme, computed from its days, its sessions and the modules' activities.

A day is a list of sessions: a module (possibly in parts, with pauses or lunch between its
activities), a pause, a lunch, or one of the course's fixed slots (opening, tests, evaluation,
closing). Whether the agenda follows the course's rules is judged in agenda_rules.py.
"""

from __future__ import annotations

from dataclasses import dataclass

from .words import words_of

# Fixed slots a programme declares with {slot: KIND, minutes: N}; their titles are words.
SLOT_KINDS = ("opening", "pre_test", "post_test", "evaluation", "closing")
RESTS = ("pause", "lunch")  # what ends a stretch of sessions


class AgendaError(Exception):
    def __init__(self, key_path: tuple, message: str):
        super().__init__(message)
        self.key_path = key_path
        self.message = message


@dataclass(frozen=True)
class Activity:
    number: int  # 1-based, in the module
    name: str
    minutes: int
    method: str
    start: str
    end: str


@dataclass(frozen=True)
class Slot:
    start: str  # HH:MM
    end: str
    minutes: int
    title: str
    kind: str  # "module", "pause", "lunch" or one of SLOT_KINDS
    module_id: str | None = None  # the module taught in it
    methods: tuple[str, ...] = ()
    part: int = 0  # of a module taught in parts (1, 2, …); 0 when taught whole
    parts: int = 0
    activities: tuple[Activity, ...] = ()
    source: tuple = ()  # key path of the programme entry it comes from, for messages

    @property
    def rest(self) -> bool:
        return self.kind in RESTS


@dataclass(frozen=True)
class Day:
    title: str
    start: str
    end: str
    slots: tuple[Slot, ...]

    @property
    def teaching_minutes(self) -> int:
        return sum(s.minutes for s in self.slots if s.kind == "module")

    @property
    def contact_minutes(self) -> int:
        """Minutes participants spend in sessions (modules, tests, opening, evaluation, closing): not pauses or lunch."""
        return sum(s.minutes for s in self.slots if not s.rest)


def minutes_of(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def clock_of(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _rest_slot(entry: dict, clock: int, words: dict, source: tuple) -> Slot:
    """A pause or a lunch, between sessions or inside a module."""
    kind = "lunch" if "lunch" in entry else "pause"
    title = entry.get("lunch") or entry.get("break") or words["break"]
    return Slot(clock_of(clock), clock_of(clock + entry["minutes"]), entry["minutes"], title, kind, source=source)


def _module_slots(session: dict, front: dict, clock: int, words: dict, source: tuple) -> list[Slot]:
    """A module's slot, or its parts with the pauses between them, each activity timed."""
    activities = front["activities"]
    pauses = session.get("pauses", [])
    cuts = [0]
    for index, pause in enumerate(pauses):
        if not cuts[-1] < pause["after"] < len(activities):
            raise AgendaError(source + ("pauses", index, "after"), f"a pause inside '{session['module']}' must follow one of activities {cuts[-1] + 1} to {len(activities) - 1}, in order; not after: {pause['after']}")
        cuts.append(pause["after"])
    cuts.append(len(activities))
    parts = len(cuts) - 1
    slots = []
    for part in range(parts):
        timed = []
        start = clock
        for number in range(cuts[part] + 1, cuts[part + 1] + 1):
            activity = activities[number - 1]
            timed.append(Activity(number, activity["name"], activity["minutes"], activity["method"], clock_of(clock), clock_of(clock + activity["minutes"])))
            clock += activity["minutes"]
        methods = tuple(dict.fromkeys(a.method for a in timed))
        slots.append(Slot(clock_of(start), clock_of(clock), clock - start, front["title"], "module", session["module"], methods,
                          part + 1 if parts > 1 else 0, parts if parts > 1 else 0, tuple(timed), source))
        if part < len(pauses):
            slots.append(_rest_slot(pauses[part], clock, words, source + ("pauses", part)))
            clock += pauses[part]["minutes"]
    return slots


def compute_agenda(programme: dict, modules: dict[str, dict], words: dict | None = None) -> list[Day]:
    """The days of a schema-valid programme with each session's start and end time.

    modules maps a module id to its front matter; words are the toolkit's words in the language
    the agenda is shown in (the default titles of pauses and slots). A day that runs past
    midnight, or a pause a module cannot take, is an AgendaError naming where it is written.
    """
    words = words or words_of(None)
    days = []
    for d, day in enumerate(programme["days"]):
        clock = minutes_of(day["start"])
        slots = []
        for s, session in enumerate(day["sessions"]):
            source = ("days", d, "sessions", s)
            if "module" in session:
                new = _module_slots(session, modules[session["module"]], clock, words, source)
            elif "slot" in session:
                title = session.get("title") or words["agenda_slots"][session["slot"]]
                new = [Slot(clock_of(clock), clock_of(clock + session["minutes"]), session["minutes"], title, session["slot"], source=source)]
            else:
                new = [_rest_slot(session, clock, words, source)]
            slots += new
            clock += sum(slot.minutes for slot in new)
        if clock >= 24 * 60:
            raise AgendaError(("days", d), f"'{day['title']}' runs past midnight ({clock} minutes after 00:00); split it into two days")
        days.append(Day(day["title"], day["start"], clock_of(clock), tuple(slots)))
    return days


def session_plan(agenda: list[Day], module_id: str) -> list[dict]:
    """Each activity of a module, with its clock times where the programme first teaches it, and
    the pauses the programme places between its activities (kind 'pause' or 'lunch')."""
    for day in agenda:
        for index, slot in enumerate(day.slots):
            if slot.module_id != module_id:
                continue
            plan = []
            for following in day.slots[index:]:
                if following.module_id == module_id:
                    plan += [{"kind": "activity", "number": a.number, "name": a.name, "minutes": a.minutes, "method": a.method, "start": a.start, "end": a.end}
                             for a in following.activities]
                    if following.part == following.parts:  # its last part, or taught whole
                        return plan
                else:
                    plan.append({"kind": following.kind, "name": following.title, "minutes": following.minutes, "method": "", "start": following.start, "end": following.end})
            return plan
    return []
