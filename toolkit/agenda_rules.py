"""The course's own rules for agendas, checked on every programme and module.

The course teaches pauses at most every 90 minutes; its programmes must keep that rule, lunch
inside its window, the days they announce, and the fixed slots evaluation needs (opening,
pre-test before any module, post-test after the last one, reaction survey and closing).
The rules live in curriculum/course.yaml under 'agenda'; without it only the day's end applies.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .agenda import AgendaError, Day, Slot, compute_agenda, minutes_of
from .errors import Problem
from .load import COURSE_FILE, MODULES_DIR, Module
from .yamlfile import YamlDocument

_CLOCK = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]$")


@dataclass(frozen=True)
class AgendaRules:
    max_teaching_minutes: int
    lunch_window: tuple[str, str]


def course_rules(course: dict | None) -> AgendaRules | None:
    """The course's agenda rules; None without them (or while the course schema reports them malformed)."""
    agenda = course.get("agenda") if isinstance(course, dict) else None
    if not isinstance(agenda, dict):
        return None
    longest, window = agenda.get("max_teaching_minutes"), agenda.get("lunch_window")
    if not isinstance(longest, int) or not isinstance(window, list) or len(window) != 2 or not all(isinstance(c, str) and _CLOCK.match(c) for c in window):
        return None
    return AgendaRules(longest, (window[0], window[1]))


def _either(numbers) -> str:
    numbers = [str(n) for n in numbers]
    return numbers[0] if len(numbers) == 1 else f"{', '.join(numbers[:-1])} or {numbers[-1]}"


def module_pause_problems(module: Module, rules: AgendaRules | None) -> list[Problem]:
    """'pause_after' names places between activities; a module longer than the rule declares some."""
    front = module.front
    count = len(front["activities"])
    points = front.get("pause_after", [])
    problems = [
        Problem(module.rel_path, module.meta.line_of(("pause_after", i)), f"'pause_after[{i}]' is {n}, but a pause goes between two activities: after activity 1 to {count - 1}")
        for i, n in enumerate(points) if n >= count
    ]
    if rules and front["duration"] > rules.max_teaching_minutes and not points:
        problems.append(Problem(module.rel_path, module.meta.line_of(("duration",)),
                                f"the module lasts {front['duration']} minutes, more than the {rules.max_teaching_minutes} a stretch without a pause may last (agenda.max_teaching_minutes in {COURSE_FILE}), "
                                f"and declares no 'pause_after'; list the activities a pause may follow, as pause_after: [3] for a pause after the third"))
    return problems


def programme_agenda_problems(document: YamlDocument, modules: dict[str, dict], rules: AgendaRules | None) -> list[Problem]:
    """Every way a schema-valid programme whose modules are valid breaks the agenda rules."""
    problems = _pause_placement_problems(document, modules)
    if problems:
        return problems
    try:
        agenda = compute_agenda(document.data, modules)
    except AgendaError as err:
        return [Problem(document.path, document.line_of(err.key_path), err.message)]

    def problem(key_path, message):
        problems.append(Problem(document.path, document.line_of(key_path), message))

    for d, (day, written) in enumerate(zip(agenda, document.data["days"])):
        declared = written["end"]
        if minutes_of(day.end) > minutes_of(declared):
            problem(("days", d, "end"), f"'{day.title}' ends at {day.end}, after its end time {declared}; shorten or move a session")
        elif minutes_of(day.end) < minutes_of(declared):
            problem(("days", d, "end"), f"'{day.title}' ends at {day.end}, before its end time {declared}, so the site and handbooks would announce a day that ends early; set 'end' to {day.end}, or add sessions until {declared}")
        if rules:
            for stretch in _stretches(day):
                minutes = sum(s.minutes for s in stretch)
                if minutes > rules.max_teaching_minutes:
                    problem(stretch[0].source, f"'{day.title}' has {minutes} minutes of sessions without a pause or lunch, {stretch[0].start}–{stretch[-1].end} ({', '.join(map(_named, stretch))}); "
                                               f"the course allows at most {rules.max_teaching_minutes} (agenda.max_teaching_minutes in {COURSE_FILE}): add a pause between two sessions{_pause_hint(stretch, modules)}")
            earliest, latest = rules.lunch_window
            for slot in day.slots:
                if slot.kind == "lunch" and not minutes_of(earliest) <= minutes_of(slot.start) <= minutes_of(latest):
                    problem(slot.source, f"'{day.title}': lunch '{slot.title}' starts at {slot.start}, outside the lunch window {earliest}–{latest} (agenda.lunch_window in {COURSE_FILE}); move it to start between {earliest} and {latest}")
    if rules:
        for key_path, message in _slot_problems(agenda):
            problem(key_path, message)
    return problems


def _pause_placement_problems(document: YamlDocument, modules: dict[str, dict]) -> list[Problem]:
    """A pause inside a module only where the module allows one, in the order of its activities."""
    problems = []
    for d, day in enumerate(document.data["days"]):
        for s, session in enumerate(day["sessions"]):
            if "module" not in session:
                continue
            module_id = session["module"]
            declared = modules[module_id].get("pause_after", [])
            previous = 0
            for p, pause in enumerate(session.get("pauses", [])):
                key_path = ("days", d, "sessions", s, "pauses", p, "after")
                where = f"pause_after in {MODULES_DIR}/{module_id}/index.md"
                if not declared:
                    message = f"'{module_id}' declares no place for a pause ({where}); declare one there, or pause between sessions instead"
                elif pause["after"] not in declared:
                    message = f"'{module_id}' may pause only after activity {_either(sorted(declared))} ({where}); after: {pause['after']} is not one of them"
                elif pause["after"] <= previous:
                    message = f"pauses inside '{module_id}' go in the order of its activities, each once; after: {pause['after']} follows after: {previous}"
                else:
                    previous = pause["after"]
                    continue
                problems.append(Problem(document.path, document.line_of(key_path), message))
    return problems


def _stretches(day: Day) -> list[list[Slot]]:
    """Runs of sessions with no pause or lunch between them."""
    runs, current = [], []
    for slot in day.slots:
        if slot.rest:
            runs.append(current)
            current = []
        else:
            current.append(slot)
    return [run for run in runs + [current] if run]


def _named(slot: Slot) -> str:
    if slot.kind != "module":
        return slot.kind
    if slot.part:
        return f"{slot.module_id} activities {slot.activities[0].number}–{slot.activities[-1].number}"
    return slot.module_id


def _pause_hint(stretch: list[Slot], modules: dict[str, dict]) -> str:
    """Where the modules in the stretch allow a pause inside them, if anywhere."""
    hints = []
    for slot in stretch:
        if slot.kind == "module":
            first, last = slot.activities[0].number, slot.activities[-1].number
            points = [n for n in sorted(modules[slot.module_id].get("pause_after", [])) if first <= n < last]
            if points:
                hints.append(f"'{slot.module_id}' after activity {_either(points)}")
    return f", or inside a module where it allows one: {'; '.join(hints)} ('pauses' in the module's session)" if hints else ""


def _slot_problems(agenda: list[Day]) -> list[tuple[tuple, str]]:
    """The fixed slots every programme needs, each where it belongs: (key path, message) pairs."""
    # Every slot of the programme in order, n its position across days.
    placed = [(n, d, slot) for n, (d, slot) in enumerate((d, slot) for d, day in enumerate(agenda) for slot in day.slots)]
    taught = [(n, d, slot) for n, d, slot in placed if slot.kind == "module"]
    last_day = len(agenda) - 1

    def module_at(entry) -> str:
        _, d, slot = entry
        return f"'{slot.module_id}' on '{agenda[d].title}'"

    def check(kind, fits, place, day) -> int | None:
        """The position of the first slot of kind where it fits; otherwise a problem, and None."""
        found = [(n, d, slot) for n, d, slot in placed if slot.kind == kind]
        good = next((n for n, d, _ in found if fits(n, d)), None)
        if good is None and found:
            problems.append((found[0][2].source, f"'slot: {kind}' must come {place}; move it there"))
        elif good is None:
            problems.append((("days", day), f"the programme has no '{kind}' slot; add {{slot: {kind}, minutes: …}} {place}"))
        return good

    first, last = (taught[0][0], taught[-1][0]) if taught else (len(placed), -1)
    problems = []
    check("opening", lambda n, d: d == 0 and n < first, f"on the first day ('{agenda[0].title}'), before any module", 0)
    check("pre_test", lambda n, d: n < first, f"before the first module ({module_at(taught[0])})" if taught else "before the first module", 0)
    post_test = check("post_test", lambda n, d: n > last, f"after the last module ({module_at(taught[-1])})" if taught else "after the last module", last_day)
    after = last if post_test is None else post_test
    for kind in ("evaluation", "closing"):
        check(kind, lambda n, d: d == last_day and n > after, f"on the last day ('{agenda[-1].title}'), after the post-test", last_day)
    return problems
