"""The country profiles: complete for every module, every legal fact with its source."""

import pytest

from conftest import REPO, real_edition
from toolkit import pipeline
from toolkit.load import load_project

PROJECT = load_project(REPO)
COUNTRIES = sorted(PROJECT.profiles)


@pytest.mark.parametrize("country", COUNTRIES)
def test_every_offence_has_instrument_article_penalty_and_source(country):
    profile = PROJECT.profiles[country].data
    for key, offence in profile["offences"].items():
        assert offence["source"]["title"], key
        assert isinstance(offence["verified"], bool), key
        if offence["typified"] is True:
            assert offence["instrument"] in profile["instruments"], key
            assert offence["article"] and offence["penalty"], key
        elif offence["typified"] is False:
            assert offence["fallback"] and offence["fallback_articles"], key
        else:  # unknown: what is missing is said for reviewers, and it is never taken as checked
            assert offence["typified"] == "unknown" and offence["evidence"] and offence["verified"] is False, key


def test_peru_has_legislative_decree_1410_and_the_articles_it_added():
    profile = PROJECT.profiles["peru"].data
    assert any("1410" in (i.get("number") or "") + i["name"] for i in profile["instruments"].values())
    articles = {o["article"] for o in profile["offences"].values() if o["typified"] is True}
    assert {"151-A", "154-B", "176-B", "176-C"} <= articles


def test_profiles_check_clean_and_warnings_are_only_about_sourcing():
    problems = pipeline.check(REPO).problems
    assert [str(p) for p in problems if p.severity == "error"] == []
    kinds = ("is not verified against its source", "has no link to the official text", "is overdue", "no national legal specialist has reviewed")
    assert all(any(kind in p.message for kind in kinds) for p in problems)


@pytest.mark.parametrize("country", COUNTRIES)
def test_legal_framework_page_lists_every_offence_with_its_source(country):
    edition = real_edition(country)
    page = edition.page("legal").participant
    for offence in edition.profile["offences"].values():
        title = offence["source"]["title"].replace("'", "&#39;").replace('"', "&#34;")
        assert title in page
    unverified = sum(1 for o in edition.profile["offences"].values() if not o["verified"])
    assert page.count("**Pendiente de verificación**") >= unverified
