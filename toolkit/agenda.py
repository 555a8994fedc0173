"""Clock times of a programme, computed from its days, breaks and module durations."""

from __future__ import annotations

from dataclasses import dataclass


class AgendaError(Exception):
    def __init__(self, key_path: tuple, message: str):
        super().__init__(message)
        self.key_path = key_path
        self.message = message


@dataclass(frozen=True)
class Slot:
    start: str  # HH:MM
    end: str
    minutes: int
    title: str
    module_id: str | None  # None for a break
    methods: tuple[str, ...] = ()


@dataclass(frozen=True)
class Day:
    title: str
    start: str
    end: str
    slots: tuple[Slot, ...]

    @property
    def teaching_minutes(self) -> int:
        return sum(s.minutes for s in self.slots if s.module_id)

    @property
    def contact_minutes(self) -> int:
        """Minutes participants spend in sessions (modules, tests, opening, closing): not breaks."""
        return sum(s.minutes for s in self.slots if s.module_id)


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _clock(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def timed_activities(start: str, activities: list[dict]) -> list[dict]:
    """Each activity with its clock times, one after the other from start ('HH:MM')."""
    clock = _minutes(start)
    plan = []
    for activity in activities:
        plan.append({**activity, "start": _clock(clock), "end": _clock(clock + activity["minutes"])})
        clock += activity["minutes"]
    return plan


def compute_agenda(programme: dict, modules: dict[str, dict]) -> list[Day]:
    """The days of a validated programme with each session's start and end time.

    modules maps a module id to its front matter; a day that runs past its 'end' or past
    midnight is an AgendaError naming the day.
    """
    days = []
    for d, day in enumerate(programme["days"]):
        clock = _minutes(day["start"])
        slots = []
        for session in day["sessions"]:
            if "module" in session:
                front = modules[session["module"]]
                minutes = front["duration"]
                methods = tuple(dict.fromkeys(a["method"] for a in front["activities"]))
                slots.append(Slot(_clock(clock), _clock(clock + minutes), minutes, front["title"], session["module"], methods))
            else:
                minutes = session["minutes"]
                slots.append(Slot(_clock(clock), _clock(clock + minutes), minutes, session["break"], None))
            clock += minutes
        if clock >= 24 * 60:
            raise AgendaError(("days", d), f"'{day['title']}' runs past midnight ({clock} minutes after 00:00); split it into two days")
        if "end" in day and clock > _minutes(day["end"]):
            raise AgendaError(("days", d, "end"), f"'{day['title']}' ends at {_clock(clock)}, after its end time {day['end']}; shorten or move a session")
        days.append(Day(day["title"], day["start"], _clock(clock), tuple(slots)))
    return days
