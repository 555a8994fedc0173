"""Agenda: clock times follow from day starts, sessions and module activities, and every
programme keeps the course's own rules (a pause at least every 90 minutes, lunch in its window,
days that end when they say, and the slots evaluation needs)."""

import datetime

import pytest

from conftest import build_edition, edit, make_project
from toolkit.agenda import compute_agenda, session_plan
from toolkit.load import load_project
from toolkit.outputs.handbook import handbook_html
from toolkit.validate import validate_project

MODULES = {
    "a": {"title": "Módulo A", "duration": 90, "activities": [
        {"name": "Exposición", "minutes": 30, "method": "exposición"}, {"name": "Caso", "minutes": 40, "method": "caso"},
        {"name": "Cierre", "minutes": 20, "method": "exposición"}]},
    "b": {"title": "Módulo B", "duration": 120, "activities": [{"name": "Debate", "minutes": 120, "method": "debate"}]},
}
PROGRAMME = "curriculum/taller.yaml"
DAY_1 = 'start: "09:00"\n    end: "14:15"'


def test_times_add_up_day_by_day():
    programme = {"days": [
        {"title": "Día 1", "start": "08:30", "sessions": [{"module": "a"}, {"break": "Pausa", "minutes": 15}, {"module": "b"}]},
        {"title": "Día 2", "start": "14:00", "sessions": [{"module": "b"}]},
    ]}
    day1, day2 = compute_agenda(programme, MODULES)
    assert [(s.start, s.end, s.title, s.kind) for s in day1.slots] == [
        ("08:30", "10:00", "Módulo A", "module"), ("10:00", "10:15", "Pausa", "pause"), ("10:15", "12:15", "Módulo B", "module")]
    assert day1.slots[0].methods == ("exposición", "caso")
    assert (day1.end, day1.teaching_minutes, day1.contact_minutes) == ("12:15", 210, 210)
    assert (day2.start, day2.end) == ("14:00", "16:00")


def test_a_pause_inside_a_module_splits_it_and_shifts_its_activities():
    programme = {"days": [{"title": "Día 1", "start": "08:30", "sessions": [
        {"slot": "opening", "minutes": 20},
        {"module": "a", "pauses": [{"after": 1, "minutes": 15}]},
        {"lunch": "Almuerzo", "minutes": 60},
        {"slot": "closing", "minutes": 10, "title": "Cierre de la jornada"},
    ]}]}
    [day] = compute_agenda(programme, MODULES)
    assert [(s.start, s.end, s.kind, s.title, s.part, s.parts) for s in day.slots] == [
        ("08:30", "08:50", "opening", "Apertura e inauguración", 0, 0),
        ("08:50", "09:20", "module", "Módulo A", 1, 2),
        ("09:20", "09:35", "pause", "Pausa", 0, 0),
        ("09:35", "10:35", "module", "Módulo A", 2, 2),
        ("10:35", "11:35", "lunch", "Almuerzo", 0, 0),
        ("11:35", "11:45", "closing", "Cierre de la jornada", 0, 0),
    ]
    assert (day.teaching_minutes, day.contact_minutes) == (90, 120)
    assert [(a["start"], a["end"], a["name"]) for a in session_plan(compute_agenda(programme, MODULES), "a")] == [
        ("08:50", "09:20", "Exposición"), ("09:20", "09:35", "Pausa"), ("09:35", "10:15", "Caso"), ("10:15", "10:35", "Cierre")]


# The fixture course tests/fixtures/agenda follows every rule; each test breaks one.

@pytest.fixture
def course(tmp_path):
    return make_project(tmp_path / "course", "agenda")


def problems_of(root):
    """The errors as 'check' prints them: sorted by file and line."""
    return [str(p) for p in sorted(validate_project(load_project(root), today=datetime.date(2026, 6, 1))) if p.severity == "error"]


def test_the_agenda_fixture_follows_every_rule(course):
    assert problems_of(course) == []


def test_more_than_90_minutes_without_a_pause_names_the_day_the_times_and_the_sessions(course):
    edit(course / PROGRAMME, "      - {break: Pausa, minutes: 15}\n      - module: dos", "      - module: dos")
    edit(course / PROGRAMME, DAY_1, 'start: "09:15"\n    end: "14:15"')
    assert problems_of(course) == [
        "curriculum/taller.yaml:9: 'Día 1' has 170 minutes of sessions without a pause or lunch, 09:15–12:05 (opening, pre_test, uno, dos activities 1–2); "
        "the course allows at most 90 (agenda.max_teaching_minutes in curriculum/course.yaml): add a pause between two sessions"
    ]


def test_a_long_module_taught_whole_is_told_where_it_may_pause(course):
    edit(course / PROGRAMME, "        pauses: [{after: 2, minutes: 60, lunch: Almuerzo}]", "      - {lunch: Almuerzo, minutes: 60}")
    assert problems_of(course) == [
        "curriculum/taller.yaml:13: 'Día 1' has 150 minutes of sessions without a pause or lunch, 10:45–13:15 (dos); "
        "the course allows at most 90 (agenda.max_teaching_minutes in curriculum/course.yaml): add a pause between two sessions, "
        "or inside a module where it allows one: 'dos' after activity 2 ('pauses' in the module's session)"
    ]


def test_lunch_outside_its_window(course):
    edit(course / PROGRAMME, DAY_1, 'start: "08:00"\n    end: "13:15"')
    assert problems_of(course) == [
        "curriculum/taller.yaml:14: 'Día 1': lunch 'Almuerzo' starts at 11:05, outside the lunch window 12:00–14:00 "
        "(agenda.lunch_window in curriculum/course.yaml); move it to start between 12:00 and 14:00"
    ]


def test_a_day_must_end_when_it_says(course):
    edit(course / PROGRAMME, 'end: "14:15"', 'end: "17:00"')
    assert problems_of(course) == [
        "curriculum/taller.yaml:7: 'Día 1' ends at 14:15, before its end time 17:00, so the site and handbooks would announce a day that ends early; "
        "set 'end' to 14:15, or add sessions until 17:00"
    ]
    edit(course / PROGRAMME, 'end: "17:00"', 'end: "14:00"')
    assert problems_of(course) == ["curriculum/taller.yaml:7: 'Día 1' ends at 14:15, after its end time 14:00; shorten or move a session"]
    edit(course / PROGRAMME, '    end: "14:00"\n', "")
    assert problems_of(course) == [
        "curriculum/taller.yaml:5: missing key 'days[0].end' (Clock time the day ends (HH:MM): its sessions must end exactly then, as the site and handbooks show it.)"
    ]


def test_check_fails_on_a_day_that_ends_before_its_announced_end(course, run_cli):
    """The bug this rule is for: the site showed a day ending at 16:15 where the programme said 17:00."""
    edit(course / PROGRAMME, 'end: "11:00"', 'end: "17:00"')
    result = run_cli("--project", course, "check")
    assert result.exit_code == 1
    assert result.stderr == ("curriculum/taller.yaml:17: 'Día 2' ends at 11:00, before its end time 17:00, so the site and handbooks would announce a day that ends early; "
                             "set 'end' to 11:00, or add sessions until 17:00\n")
    assert result.stdout == "check failed (arcadia): 1 error, 0 warnings\n"


def test_without_agenda_rules_only_the_end_of_the_day_applies(course):
    edit(course / "curriculum/course.yaml", 'agenda:\n  max_teaching_minutes: 90\n  lunch_window: ["12:00", "14:00"]\n', "")
    edit(course / PROGRAMME, "      - {slot: opening, minutes: 15}\n      - {slot: pre_test, minutes: 15}\n", "")
    edit(course / PROGRAMME, "      - {break: Pausa, minutes: 15}\n      - module: dos", "      - module: dos")
    assert problems_of(course) == ["curriculum/taller.yaml:7: 'Día 1' ends at 13:30, before its end time 14:15, so the site and handbooks would announce a day that ends early; "
                                   "set 'end' to 13:30, or add sessions until 14:15"]
    edit(course / PROGRAMME, 'end: "14:15"', 'end: "13:30"')
    assert problems_of(course) == []


def test_a_programme_without_its_slots_is_told_where_each_goes(course):
    (course / PROGRAMME).write_text(
        "title: Taller\naudience: Juezas y jueces\ndescription: Una mañana.\ndays:\n"
        '  - title: Mañana\n    start: "09:00"\n    end: "10:00"\n    sessions:\n      - module: uno\n', encoding="utf-8")
    assert problems_of(course) == [
        "curriculum/taller.yaml:5: the programme has no 'closing' slot; add {slot: closing, minutes: …} on the last day ('Mañana'), after the post-test",
        "curriculum/taller.yaml:5: the programme has no 'evaluation' slot; add {slot: evaluation, minutes: …} on the last day ('Mañana'), after the post-test",
        "curriculum/taller.yaml:5: the programme has no 'opening' slot; add {slot: opening, minutes: …} on the first day ('Mañana'), before any module",
        "curriculum/taller.yaml:5: the programme has no 'post_test' slot; add {slot: post_test, minutes: …} after the last module ('uno' on 'Mañana')",
        "curriculum/taller.yaml:5: the programme has no 'pre_test' slot; add {slot: pre_test, minutes: …} before the first module ('uno' on 'Mañana')",
    ]


def test_a_slot_in_the_wrong_place_is_named_where_it_is(course):
    edit(course / PROGRAMME, "      - {slot: opening, minutes: 15}\n      - {slot: pre_test, minutes: 15}\n      - module: uno\n",
         "      - module: uno\n      - {slot: opening, minutes: 15}\n      - {slot: pre_test, minutes: 15}\n")
    edit(course / PROGRAMME, "      - {slot: post_test, minutes: 15}\n      - {break: Pausa, minutes: 15}\n      - {slot: evaluation, minutes: 15}\n",
         "      - {slot: evaluation, minutes: 15}\n      - {break: Pausa, minutes: 15}\n      - {slot: post_test, minutes: 15}\n")
    assert problems_of(course) == [
        "curriculum/taller.yaml:10: 'slot: opening' must come on the first day ('Día 1'), before any module; move it there",
        "curriculum/taller.yaml:11: 'slot: pre_test' must come before the first module ('uno' on 'Día 1'); move it there",
        "curriculum/taller.yaml:20: 'slot: evaluation' must come on the last day ('Día 2'), after the post-test; move it there",
    ]


def test_a_pause_only_where_the_module_allows_one(course):
    edit(course / PROGRAMME, "{after: 2, minutes: 60, lunch: Almuerzo}", "{after: 1, minutes: 60, lunch: Almuerzo}")
    assert problems_of(course) == ["curriculum/taller.yaml:14: 'dos' may pause only after activity 2 (pause_after in modules/dos/index.md); after: 1 is not one of them"]
    edit(course / PROGRAMME, "{after: 1, minutes: 60, lunch: Almuerzo}", "{after: 2, minutes: 60, lunch: Almuerzo}, {after: 2, minutes: 15}")
    assert problems_of(course) == ["curriculum/taller.yaml:14: pauses inside 'dos' go in the order of its activities, each once; after: 2 follows after: 2"]


def test_a_module_longer_than_the_rule_declares_where_it_may_pause(course):
    edit(course / "modules/dos/index.md", "pause_after: [2]\n", "")
    assert problems_of(course) == [
        "curriculum/taller.yaml:14: 'dos' declares no place for a pause (pause_after in modules/dos/index.md); declare one there, or pause between sessions instead",
        "modules/dos/index.md:5: the module lasts 150 minutes, more than the 90 a stretch without a pause may last (agenda.max_teaching_minutes in curriculum/course.yaml), "
        "and declares no 'pause_after'; list the activities a pause may follow, as pause_after: [3] for a pause after the third",
    ]
    edit(course / "modules/dos/index.md", "materials:", "pause_after: [4]\nmaterials:")
    assert problems_of(course) == [
        "curriculum/taller.yaml:14: 'dos' may pause only after activity 4 (pause_after in modules/dos/index.md); after: 2 is not one of them",
        "modules/dos/index.md:13: 'pause_after[0]' is 4, but a pause goes between two activities: after activity 1 to 3",
    ]


# What a trainer reads: the site's programme page and home page, and the handbook.

def test_the_programme_page_shows_every_slot_with_its_times(course):
    edition = build_edition(load_project(course), "arcadia")
    page = next(p.participant for p in edition.pages if p.src_uri == "programas/taller.md")
    assert "### Día 1 (09:00–14:15)" in page and "### Día 2 (09:00–11:00)" in page
    for row in ["| 09:00 | 09:15 | **Apertura e inauguración** | |",
                "| 09:15 | 09:30 | **Prueba inicial (forma A)** | |",
                "| 09:30 | 10:30 | [Módulo Uno](../uno/index.md) | exposición dialogada, debate |",
                "| 10:30 | 10:45 | *Pausa* | |",
                "| 10:45 | 12:05 | [Módulo Dos](../dos/index.md) (parte 1 de 2) | exposición dialogada, estudio de caso |",
                "| 12:05 | 13:05 | *Almuerzo* | |",
                "| 13:05 | 14:15 | [Módulo Dos](../dos/index.md) (parte 2 de 2) | taller, plenario |",
                "| 10:00 | 10:15 | **Prueba final (forma B)** | |",
                "| 10:30 | 10:45 | **Evaluación de reacción y plan de acción** | |",
                "| 10:45 | 11:00 | **Clausura del taller** | |"]:
        assert row in page, row
    home = next(p.participant for p in edition.pages if p.src_uri == "index.md")
    assert "| 13:05 | 14:15 | [Módulo Dos](dos/index.md) (parte 2 de 2) | taller, plenario |" in home and "### Día 2 (09:00–11:00)" in home


def test_the_handbook_shows_the_agenda_and_each_activity_at_its_time(course):
    edition = build_edition(load_project(course), "arcadia")
    html = handbook_html(edition, edition.primary, course)
    assert "Día 1 (09:00–14:15)" in html
    assert '<td>12:05</td><td>13:05</td>\n        <td><em>Almuerzo</em></td>' in html
    assert '<td>09:00</td><td>09:15</td>\n        <td><strong>Apertura e inauguración</strong></td>' in html
    assert '<a href="#hb-m-dos">Módulo Dos</a> (parte 2 de 2)' in html
    # The session plan of 'dos': activities 3 and 4 come after lunch.
    for row in ["<td>10:45–11:25</td><td>Exposición</td>", "<td>11:25–12:05</td><td>Estudio de caso</td>", "<td>12:05–13:05</td><td>Almuerzo</td>",
                "<td>13:05–13:45</td><td>Taller de redacción</td>", "<td>13:45–14:15</td><td>Plenario</td>"]:
        assert row in html, row
