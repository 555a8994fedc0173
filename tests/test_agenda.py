"""Agenda: clock times follow from day starts, module durations and breaks."""

from toolkit.agenda import compute_agenda

MODULES = {
    "a": {"title": "Módulo A", "duration": 90, "activities": [{"method": "exposición"}, {"method": "caso"}, {"method": "exposición"}]},
    "b": {"title": "Módulo B", "duration": 120, "activities": [{"method": "debate"}]},
}


def test_times_add_up_day_by_day():
    programme = {"days": [
        {"title": "Día 1", "start": "08:30", "sessions": [{"module": "a"}, {"break": "Pausa", "minutes": 15}, {"module": "b"}]},
        {"title": "Día 2", "start": "14:00", "sessions": [{"module": "b"}]},
    ]}
    day1, day2 = compute_agenda(programme, MODULES)
    assert [(s.start, s.end, s.title) for s in day1.slots] == [("08:30", "10:00", "Módulo A"), ("10:00", "10:15", "Pausa"), ("10:15", "12:15", "Módulo B")]
    assert day1.slots[0].methods == ("exposición", "caso")
    assert (day1.end, day1.teaching_minutes) == ("12:15", 210)
    assert (day2.start, day2.end) == ("14:00", "16:00")
