"""Property tests: whatever a profile holds (any Unicode, markup, very long text), rendering
never crashes and every value reaches the page as text, never as markup."""

import copy
import html

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_project
from toolkit.markdown_html import markdown_to_html
from toolkit.load import load_project
from toolkit.pages import resolve_edition

MARKUP = st.sampled_from(["<script>alert(1)</script>", "<img src=x onerror=alert(1)>", "</p><iframe src=//x>", "&amp;", '"\'><b>'])
ANY_TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=2000)
# Plain words: what Markdown leaves alone, so the escaped value must appear as it is.
PLAIN = st.text(st.characters(whitelist_categories=("L", "Nd", "Zs"), whitelist_characters="<>&\"'"), min_size=1, max_size=300).filter(str.strip)


@pytest.fixture(scope="module")
def fixture_project(tmp_path_factory):
    """The fixture course, copied and loaded once; each example renders its own profile."""
    return load_project(make_project(tmp_path_factory.mktemp("p") / "course"))


def rendered_html(project, **values) -> str:
    document = project.profiles["arcadia"]
    original = document.data
    profile = copy.deepcopy(original)
    profile.update({k: v for k, v in values.items() if k in ("name", "name_full")})
    profile["offences"]["ncii"] = {**profile["offences"]["ncii"], "penalty": values["penalty"]}
    document.data = profile
    try:
        # Odd text may draw lint findings ("a ')' closes nothing"); what is asked here is the page.
        edition = resolve_edition(project, "arcadia").edition
    finally:
        document.data = original
    return "\n".join(markdown_to_html(page.participant, project.root) for page in edition.pages)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=st.one_of(ANY_TEXT, MARKUP), penalty=st.one_of(ANY_TEXT, MARKUP), name_full=ANY_TEXT)
def test_any_profile_text_renders_without_markup_from_the_profile(fixture_project, name, penalty, name_full):
    output = rendered_html(fixture_project, name=name, penalty=penalty, name_full=name_full)
    for tag in ("<script", "<img", "<iframe", "<b>"):
        assert tag not in output


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(name=PLAIN, penalty=PLAIN)
def test_plain_profile_text_appears_escaped_on_the_page(fixture_project, name, penalty):
    output = rendered_html(fixture_project, name=name, penalty=penalty, name_full="República de Prueba")
    for value in (name, penalty):
        escaped = html.escape(" ".join(value.split()), quote=False)
        assert escaped in " ".join(output.replace("&#34;", '"').replace("&#39;", "'").replace("&quot;", '"').split())
