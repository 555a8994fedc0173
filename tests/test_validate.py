"""Validation: each broken input gives one exact, actionable message."""

import datetime

from conftest import edit
from toolkit.load import load_project
from toolkit.validate import validate_project

PROFILE = "country_profiles/arcadia.yaml"


def problems_of(root, today=datetime.date(2026, 6, 1)):
    return [str(p) for p in validate_project(load_project(root), today=today)]


def test_the_fixture_course_is_clean(project):
    assert problems_of(project) == []


def test_missing_key_names_path_line_and_what_it_is(project):
    edit(project / PROFILE, "demonym: arcadio\n", "")
    assert problems_of(project) == [f"{PROFILE}:2: missing key 'demonym' (Adjective for the country's law, masculine singular (\"peruano\", as in \"el derecho peruano\").)"]


def test_unknown_key_suggests_the_closest_one(project):
    edit(project / PROFILE, "locale: es_AR", "locale: es_AR\nlanguaje: es")
    assert problems_of(project) == [f"{PROFILE}:8: unknown key 'languaje'; did you mean 'language'?"]


def test_wrong_type_says_what_was_expected(project):
    edit(project / PROFILE, "valid_months: 120", "valid_months: doce")
    assert problems_of(project) == [f"{PROFILE}:9: 'review.valid_months' must be integer, not text"]


def test_offence_without_article_when_typified(project):
    edit(project / PROFILE, 'article: "202-A", ', "")
    assert problems_of(project) == [f"{PROFILE}:30: missing key 'offences.ncii.article'"]


def test_offence_must_name_a_known_instrument(project):
    edit(project / PROFILE, "instrument: codigo_penal, article: \"202-A\"", "instrument: codigo_penall, article: \"202-A\"")
    assert problems_of(project) == [f"{PROFILE}:30: 'offences.ncii.instrument' names instrument 'codigo_penall', which is not in 'instruments'; did you mean 'codigo_penal'?"]


def test_profile_id_must_match_its_file(project):
    edit(project / PROFILE, "id: arcadia", "id: beocia")
    assert problems_of(project) == [f"{PROFILE}:2: id 'beocia' must equal the file name 'arcadia'"]


def test_unverified_facts_and_sources_without_link_are_warnings(project):
    edit(project / PROFILE, "source: {title: CP art. 202-A, url: \"https://example.org/cp\"}, verified: true", "source: {title: CP art. 202-A, url: null}, verified: false")
    assert problems_of(project) == [
        f"{PROFILE}:30: warning: 'offences.ncii' is not verified against its source",
        f"{PROFILE}:30: warning: 'offences.ncii.source' has no link to the official text",
    ]


def test_overdue_review_is_a_warning(project):
    assert problems_of(project, today=datetime.date(2036, 1, 1)) == [
        f"{PROFILE}:9: warning: the review of 2026-01-15 is overdue since 2036-01-01; review the profile against its sources and update 'review'"
    ]


def test_activities_must_add_up_to_the_duration(project):
    edit(project / "modules/intro/index.md", "minutes: 20", "minutes: 25")
    assert problems_of(project) == ["modules/intro/index.md:8: activities add up to 65 minutes but duration is 60; make them equal"]


def test_programme_naming_an_unknown_module(project):
    edit(project / "curriculum/jornada.yaml", "module: intro", "module: intra")
    assert problems_of(project) == ["curriculum/jornada.yaml:9: unknown module 'intra'; did you mean 'intro'?"]


def test_a_session_that_does_not_fit_its_day(project):
    edit(project / "curriculum/jornada.yaml", 'end: "10:15"', 'end: "10:00"')
    assert problems_of(project) == ["curriculum/jornada.yaml:7: 'Día 1' ends at 10:15, after its end time 10:00; shorten or move a session"]


def test_text_ending_in_a_block_tag_would_join_the_next_line(project):
    edit(project / "modules/intro/index.md", "Texto final visible.", "Pena: {% if name %}sí{% endif %}\n- siguiente punto")
    assert problems_of(project) == [
        "modules/intro/index.md:27: this line ends with a block tag after text, so its line break would be removed and the next line joined to it; end the tag with '+%}' to keep the break, or put the tag on a line of its own"
    ]
    edit(project / "modules/intro/index.md", "sí{% endif %}", "sí{% endif +%}")
    assert problems_of(project) == []


def test_every_schema_is_a_valid_json_schema_with_descriptions():
    import jsonschema
    import yaml
    from conftest import REPO

    paths = [REPO / "country_profiles/schema.yaml", *sorted((REPO / "toolkit/schemas").glob("*.yaml"))]
    keywords = {"$schema", "$defs", "$ref", "title", "description", "type", "properties", "required", "additionalProperties",
                "propertyNames", "minProperties", "items", "minItems", "enum", "const", "pattern", "minLength", "minimum",
                "maximum", "maxItems", "format", "oneOf", "if", "then", "else", "allOf", "uniqueItems"}

    def stray_keys(node, where):
        """A description with an unquoted comma in a flow mapping turns its tail into a key."""
        if isinstance(node, dict):
            stray = [f"{where}: {k}" for k in node if k not in keywords] if where.split(".")[-1] not in ("properties", "$defs") else []
            return stray + [s for k, v in node.items() for s in stray_keys(v, f"{where}.{k}")]
        return [s for i, v in enumerate(node) for s in stray_keys(v, f"{where}[{i}]")] if isinstance(node, list) else []

    for path in paths:
        schema = yaml.safe_load(path.read_text(encoding="utf-8"))
        jsonschema.Draft202012Validator.check_schema(schema)
        assert stray_keys(schema, path.name) == []


def test_every_profile_key_is_described():
    import yaml
    from conftest import REPO

    schema = yaml.safe_load((REPO / "country_profiles/schema.yaml").read_text(encoding="utf-8"))
    undocumented = []

    def walk(node, path):
        for key, child in node.get("properties", {}).items():
            referenced = schema["$defs"].get(child.get("$ref", "").rpartition("/")[2], {})
            if "description" not in child and "description" not in referenced:
                undocumented.append(f"{path}.{key}")
            walk(child, f"{path}.{key}")

    walk(schema, "profile")
    for name, definition in schema["$defs"].items():
        walk(definition, f"$defs.{name}")
    assert undocumented == []
