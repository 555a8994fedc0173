"""End to end: the real course, built for every country into a temporary folder."""

import re
from pathlib import Path

import pytest

from conftest import REPO
from toolkit.load import load_project

COUNTRIES = sorted(p.stem for p in (REPO / "country_profiles").glob("*.yaml") if p.stem != "schema")


@pytest.fixture(scope="module")
def built(course_build) -> Path:
    return course_build[0]


def participant_pages(out: Path, country: str):
    return sorted((out / country).rglob("*.html"))


def test_every_country_is_built_and_linked_from_the_landing_page(built):
    assert COUNTRIES == ["ecuador", "guatemala", "peru"]
    landing = (built / "index.html").read_text(encoding="utf-8")
    for country in COUNTRIES:
        assert (built / country / "index.html").is_file()
        assert f'href="{country}/index.html"' in landing


def test_the_same_module_cites_each_countrys_own_law(built):
    project = load_project(REPO)
    for country in COUNTRIES:
        profile = project.profiles[country].data
        html = (built / country / "marco-juridico-nacional" / "index.html").read_text(encoding="utf-8")
        ncii = profile["offences"]["ncii"]
        expected = ncii["article"] if ncii["typified"] else ncii["fallback_articles"][0]
        assert expected in html, (country, expected)
        others = [project.profiles[c].data for c in COUNTRIES if c != country]
        for other in others:
            assert other["name_full"] not in html


def test_no_template_syntax_or_trainer_text_in_participant_pages(built):
    for country in COUNTRIES:
        for page in participant_pages(built, country):
            html = page.read_text(encoding="utf-8")
            assert "{{" not in html and "{%" not in html, page
            assert 'class="admonition trainer' not in html and 'class="admonition answer' not in html, page
            assert "Notas para la persona formadora" not in html, page


def test_sites_load_nothing_from_the_internet(built):
    external = re.compile(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="(?:https?:)?//', re.I)
    for country in COUNTRIES:
        for page in participant_pages(built, country):
            assert not external.search(page.read_text(encoding="utf-8")), page
        assert (built / country / "assets/javascripts/iframe-worker-shim.js").is_file()
        assert (built / country / "search/search_index.js").is_file()


def test_sites_are_in_spanish_with_country_and_school_in_the_header(built):
    project = load_project(REPO)
    for country in COUNTRIES:
        profile = project.profiles[country].data
        html = (built / country / "index.html").read_text(encoding="utf-8")
        assert '<html lang="es"' in html
        school = profile["judicial_school"]
        assert f"{profile['name']} · {school['name']}" in html
        # No national legal review yet: the footer says so instead of a date.
        assert "Perfil jurídico: pendiente de revisión jurídica nacional" in html


def test_home_page_shows_the_agenda_of_the_primary_programme_day_by_day(built):
    project = load_project(REPO)
    [primary] = [d.data for d in project.programmes.values() if d.data.get("primary")]
    html = (built / "peru" / "index.html").read_text(encoding="utf-8")
    for day in primary["days"]:
        assert re.search(r"<h3[^>]*>" + re.escape(day["title"]) + r" \(\d\d:\d\d–\d\d:\d\d\)", html), day["title"]
