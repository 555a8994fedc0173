"""'new-country' asks only what applies: one branch per offence, optional values null, nothing of
another country's law copied by '--from'. Fast: check, never a site build."""

from __future__ import annotations

import re
import shutil

import pytest
import yaml

from conftest import REPO
from toolkit import pipeline
from toolkit.scaffold import KEPT_FROM_SOURCE, offence_branches, offences_of
from toolkit.validate import paths_to_fill
from toolkit.words import labels
from toolkit.yamlfile import mappings_in

TO_FILL = labels("es")["to_fill"]
# What a scaffold of the real course asked for before issue 14, measured with that code
# ('new-country bolivia --name Bolivia', then 'check --country bolivia'): 332 values, 305 in the
# profile (99 of them in offences: both branches of each) and 27 case keys.
VALUES_ASKED_BEFORE = 332
OFFENCE_VALUES_ASKED_BEFORE = 99
THREE_TYPIFIED_SIX_NOT = {"ncii": "yes", "sexual_blackmail": "yes", "grooming": "yes", "harassment": "no",
                          "sexual_harassment": "no", "csam": "no", "identity_theft": "no", "illegal_access": "no",
                          "psychological_violence": "no"}


@pytest.fixture(scope="module")
def real_course(tmp_path_factory):
    """The real course (modules, programmes, profiles, case keys, schema), copied once."""
    target = tmp_path_factory.mktemp("real") / "course"
    shutil.copytree(REPO, target, ignore=shutil.ignore_patterns(".venv", "node_modules", "site", "handbooks", ".git", "bench", "tests", "__pycache__", ".pytest_cache", "toolkit"))
    return target


@pytest.fixture
def course(real_course, tmp_path):
    """A fresh copy of the real course for one test (scaffolds write into it)."""
    return shutil.copytree(real_course, tmp_path / "course")


def scaffold(run_cli, project, *extra, answers: dict | None = None, country="bolivia", input=None):
    args = ["--project", project, "new-country", country, "--name", country.capitalize(), *extra]
    if answers is not None:
        path = project / f"{country}-answers.yaml"
        path.write_text(yaml.safe_dump(answers), encoding="utf-8")
        args += ["--answers", path]
    result = run_cli(*args) if input is None else run_cli.with_input(input, *args)
    assert result.exit_code == 0, result.output
    asked = int(re.search(r": (\d+) value\(s\) to fill\.", result.stdout).group(1))
    return project / "country_profiles" / f"{country}.yaml", asked


@pytest.fixture
def run_cli(run_cli):
    """run_cli, and run_cli.with_input(text, *args) for answering prompts."""
    from click.testing import CliRunner

    import build

    def with_input(text, *args):
        return CliRunner().invoke(build.cli, [str(a) for a in args], input=text, catch_exceptions=False)

    run_cli.with_input = with_input
    return run_cli


def items_to_fill(run_cli, project, country="bolivia") -> int:
    result = run_cli("--project", project, "check", "--country", country)
    assert result.exit_code == 1
    return int(re.search(rf"^country_profiles/{country}.yaml: (\d+) item\(s\) still to fill, by module:$", result.stderr, re.M).group(1))


def scalars(value, path=()):
    """(key path, scalar) for every scalar of parsed YAML."""
    if isinstance(value, dict):
        for key, child in value.items():
            yield from scalars(child, path + (key,))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from scalars(child, path + (index,))
    else:
        yield path, value


def facts(value):
    return [(path, mapping) for path, mapping in mappings_in(value) if "verified" in mapping]


def required_here(schema: dict, data: dict, key_path: tuple) -> bool:
    """Whether the schema requires every key along key_path (an offence: what its state requires)."""
    branches = offence_branches(schema)
    node, value = schema, data
    for key in key_path:
        node = {**schema["$defs"][node["$ref"].rpartition("/")[2]], **node} if "$ref" in node else node
        if isinstance(key, int):
            node, value = node["items"], value[key]
            continue
        required = set(node.get("required", [])) | (set(branches[value["typified"]]) if "typified" in node.get("properties", {}) else set())
        if "properties" in node and key not in required:
            return False
        node, value = node.get("properties", {}).get(key) or node["additionalProperties"], value[key]
    return True


def test_a_scaffold_with_three_typified_and_six_not_asks_only_what_applies(course, run_cli):
    path, asked = scaffold(run_cli, course, answers=THREE_TYPIFIED_SIX_NOT)
    assert asked == items_to_fill(run_cli, course)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    schema = yaml.safe_load((course / "country_profiles/schema.yaml").read_text(encoding="utf-8"))
    # Nothing is asked that the schema does not require of this country: no optional value, no
    # boolean or number, no key of the branch that does not apply.
    assert [p for p in paths_to_fill(data) if not required_here(schema, data, p)] == []
    # The offences ask 39 values instead of 99; the case studies' cast is proposed (check warns
    # until the country's names replace it). The rest is text every country must write (names,
    # roles and grammar of its institutions, sources, cities, 27 case keys).
    assert sum(1 for _ in paths_to_fill(data["offences"])) <= OFFENCE_VALUES_ASKED_BEFORE // 2
    assert asked <= VALUES_ASKED_BEFORE // 2
    branches = offence_branches(schema)
    for key, offence in data["offences"].items():
        typified = offence["typified"]
        assert typified is (THREE_TYPIFIED_SIX_NOT[key] == "yes")
        other = branches[not typified]
        assert not set(other) & set(offence), (key, offence)  # only the branch that applies
        assert set(branches[typified]) <= set(offence)


def test_an_empty_scaffold_asks_only_what_the_schema_requires_and_check_lists_all_of_it(course, run_cli):
    path, asked = scaffold(run_cli, course)  # no terminal, no answers: every offence 'unknown'
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    assert {o["typified"] for o in data["offences"].values()} == {"unknown"}
    assert all(set(o) == {"typified", "source", "verified", "evidence"} and o["evidence"] == TO_FILL for o in data["offences"].values())
    assert asked == items_to_fill(run_cli, course) <= VALUES_ASKED_BEFORE // 2
    # The marker only where a person must write text: never a boolean, a number or an optional value.
    for key_path, value in scalars(data):
        if value == TO_FILL:
            assert key_path[-1] not in ("verified", "year", "valid_months", "publish_handbooks", "acronym", "url", "short_name", "number", "amended_by", "reviewed_by", "reviewed_on"), key_path
    assert (data["publish_handbooks"], data["review"]["valid_months"], data["instruments"]["codigo_penal"]["year"]) == (False, 12, None)
    assert data["inclusion"]["indigenous_women_service"] is None and data["hotlines"] == data["statistics"] == data["case_law"] == []
    # Every fact has its evidence key, and every null says when to fill it.
    found = list(facts(data))
    assert len(found) > 30 and all("evidence" in fact for _, fact in found)
    comments = " ".join(line.strip().lstrip("# ") for line in text.splitlines() if line.strip().startswith("#"))
    for note in ("Official website. Left null: write the link where one is online.", "Year of enactment. Left null: write it once read in the official text.",
                 "Left null: write the link to the official text where one is online; check warns while there is none.",
                 "Required while 'typified' is unknown: what was searched, where, and what is still not known."):
        assert note in comments, note
    # Nulls are valid: the only errors are values still to fill.
    result = pipeline.check(course, ["bolivia"])
    assert [str(p) for p in result.problems if p.severity == "error" and not p.to_fill] == []
    assert sum(1 for p in result.problems if p.to_fill) == asked


def test_from_peru_keeps_no_legal_value_of_peru_but_shows_each_in_a_comment(course, run_cli):
    peru = yaml.safe_load((course / "country_profiles/peru.yaml").read_text(encoding="utf-8"))
    path, asked = scaffold(run_cli, course, "--from", "peru", answers={"ncii": "yes", "grooming": "no"})
    text = path.read_text(encoding="utf-8")
    data = yaml.safe_load(text)
    kept = {value for key_path, value in scalars(peru) if key_path in KEPT_FROM_SOURCE}
    assert kept == {12, "una red social"}
    peru_values = {value for key_path, value in scalars(peru) if value not in (None, True, False) and key_path not in KEPT_FROM_SOURCE} - {"es"}
    written = {value for _, value in scalars(data)}
    assert written & peru_values == set()
    assert written <= {TO_FILL, None, False, True, "unknown", "bolivia", "Bolivia", "es", "ley_violencia"} | kept
    # Peru's values are there to consult, above the key they were the value of.
    for comment in ("peru: 154-B", "peru: 0800-15-170", "peru: Milagros Quispe", "peru: Ministerio Público", "peru: Lima",
                    "peru: Acuerdo Plenario 2-2005/CJ-116, fundamento 10", "peru: ley_30364", "peru: typified: true, article 5 of ley_30096"):
        assert f"# {comment}\n" in text, comment
    assert re.search(r"# peru: 154-B\n\s+article: \"POR COMPLETAR\"", text)
    assert re.search(r"# peru: 100\n\s+number: \"POR COMPLETAR\"", text)
    # Its structure is kept: as many measures, hotlines, cities and decisions as Peru's.
    for key_path in (("protection_measures", "measures"), ("hotlines",), ("case_names", "cities"), ("case_law",)):
        source, new = peru, data
        for key in key_path:
            source, new = source[key], new[key]
        assert len(new) == len(source), key_path
    assert data["offences"]["ncii"]["typified"] is True and "fallback" not in data["offences"]["ncii"]
    assert data["offences"]["grooming"]["typified"] is False and "article" not in data["offences"]["grooming"]
    assert data["offences"]["csam"]["typified"] == "unknown"  # Peru's answer is not this country's
    assert all(fact["verified"] is False and fact.get("evidence") in (None, TO_FILL) for _, fact in facts(data))
    assert asked == items_to_fill(run_cli, course)


FILLED = {"year": 2020, "status": "party", "locale": "es_BO", "instrument": "codigo_penal", "code": "codigo_penal",
          "article": "la", "researched_on": "2026-01-01", "url": "https://example.org/ley", "number": "100"}


def fill(value, key=""):
    """What project staff do: replace every value still to fill with the country's fact."""
    if isinstance(value, dict):
        return {k: fill(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [f"Persona de prueba {i}" if v == TO_FILL and key in ("victims", "aggressors") else fill(v, key) for i, v in enumerate(value)]
    return FILLED.get(key, f"Dato de prueba {key}") if value == TO_FILL else value


# The edit-test loop runs one variant; 'make test' all three.
@pytest.mark.parametrize("extra, answers", [((), THREE_TYPIFIED_SIX_NOT), pytest.param((), None, marks=pytest.mark.slow),
                                            pytest.param(("--from", "peru"), THREE_TYPIFIED_SIX_NOT, marks=pytest.mark.slow)],
                         ids=["three-typified-six-not", "all-unknown", "from-peru"])
def test_the_scaffold_passes_check_once_every_marker_is_filled(course, run_cli, extra, answers):
    path, asked = scaffold(run_cli, course, *extra, answers=answers)
    path.write_text(yaml.safe_dump(fill(yaml.safe_load(path.read_text(encoding="utf-8"))), allow_unicode=True), encoding="utf-8")
    keys = course / "case_keys/bolivia.yaml"
    keys.write_text(yaml.safe_dump(fill(yaml.safe_load(keys.read_text(encoding="utf-8"))), allow_unicode=True), encoding="utf-8")
    result = run_cli("--project", course, "check", "--country", "bolivia")
    assert result.exit_code == 0, result.stderr
    assert "still to fill" not in result.stderr


def test_the_offences_can_be_answered_at_prompts(project, run_cli):
    offences = list(offences_of(yaml.safe_load((project / "country_profiles/schema.yaml").read_text(encoding="utf-8"))))
    replies = ["yes", "no", "unknown", "yes", "", "no", "yes", "no", "unknown"]  # an empty reply takes the default, unknown
    path, _ = scaffold(run_cli, project, "--ask", input="\n".join(replies) + "\n")
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    expected = {"yes": True, "no": False, "unknown": "unknown", "": "unknown"}
    assert {k: data["offences"][k]["typified"] for k in offences} == {k: expected[r] for k, r in zip(offences, replies)}


def test_prompts_ask_only_what_the_answers_file_leaves_out(project, run_cli):
    path, _ = scaffold(run_cli, project, "--ask", answers={"ncii": True, "grooming": "no", "csam": "unknown"}, input="yes\n" * 6)
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    typified = {k: o["typified"] for k, o in data["offences"].items()}
    assert (typified.pop("ncii"), typified.pop("grooming"), typified.pop("csam")) == (True, False, "unknown")
    assert set(typified.values()) == {True}


def test_a_bare_yes_or_no_in_the_answers_file_is_an_answer_and_a_wrong_one_is_refused(project, run_cli):
    answers = project / "answers.yaml"
    answers.write_text("ncii: yes\ngrooming: no\n", encoding="utf-8")  # YAML reads these as true and false
    path, _ = scaffold(run_cli, project, "--answers", answers)
    offences = yaml.safe_load(path.read_text(encoding="utf-8"))["offences"]
    assert (offences["ncii"]["typified"], offences["grooming"]["typified"], offences["csam"]["typified"]) == (True, False, "unknown")
    answers.write_text("nci: yes\n", encoding="utf-8")
    result = run_cli("--project", project, "new-country", "beocia", "--name", "Beocia", "--answers", answers)
    assert result.exit_code == 1 and "unknown offence 'nci'; did you mean 'ncii'?" in result.stderr
    answers.write_text("ncii: maybe\n", encoding="utf-8")
    result = run_cli("--project", project, "new-country", "beocia", "--name", "Beocia", "--answers", answers)
    assert result.exit_code == 1 and "'ncii': 'maybe' is not an answer: write yes, no or unknown" in result.stderr
    assert not (project / "country_profiles/beocia.yaml").exists()


def test_new_country_refuses_before_asking_anything(project, run_cli):
    result = run_cli.with_input("yes\n" * 9, "--project", project, "new-country", "arcadia", "--name", "Arcadia", "--ask")
    assert (result.exit_code, result.stdout) == (1, "")  # no question was asked
    assert "country_profiles/arcadia.yaml already exists" in result.stderr
    result = run_cli("--project", project, "new-country", "bolivia", "--name", "Bolivia", "--from", "atlantis")
    assert result.exit_code == 1 and "no profile country_profiles/atlantis.yaml to start from" in result.stderr
    assert not (project / "country_profiles/bolivia.yaml").exists() and not (project / "case_keys/bolivia.yaml").exists()
