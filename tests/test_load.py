"""Loading: unreadable input becomes a problem naming file and line, never a traceback."""

from toolkit.load import load_project
from toolkit.yamlfile import YamlError, parse_yaml

import pytest


def problems_of(root):
    return [str(p) for p in load_project(root).problems]


def test_yaml_keeps_the_line_of_every_key():
    document = parse_yaml("a:\n  b: 1\n  c:\n    - x\n    - y\n", "f.yaml")
    assert document.data == {"a": {"b": 1, "c": ["x", "y"]}}
    assert document.line_of(("a", "c", 1)) == 5
    assert document.line_of(("a", "missing", "deeper")) == 1


def test_duplicate_keys_are_rejected_with_both_lines():
    with pytest.raises(YamlError) as err:
        parse_yaml("name: Perú\nlocale: es_PE\nname: Chile\n", "country_profiles/peru.yaml")
    assert str(err.value) == "country_profiles/peru.yaml:3: duplicate key 'name' (first written on line 1); keep one"


def test_yaml_that_does_not_parse_names_line_and_column(project):
    (project / "country_profiles" / "arcadia.yaml").write_text("id: arcadia\nname: [Arcadia\n", encoding="utf-8")
    [problem] = problems_of(project)
    assert problem.startswith("country_profiles/arcadia.yaml:3: YAML does not parse (column 1):")


def test_empty_and_non_utf8_files(project):
    (project / "country_profiles" / "arcadia.yaml").write_text("  \n", encoding="utf-8")
    (project / "country_profiles" / "beocia.yaml").write_bytes("id: beocia\nname: Beoc\xeda\n".encode("latin-1"))
    assert problems_of(project) == [
        "country_profiles/arcadia.yaml: is empty; it must hold a YAML mapping",
        "country_profiles/beocia.yaml:2: is not UTF-8 text (column 11); save the file as UTF-8",
    ]


def test_unsafe_ids_are_refused(project):
    (project / "country_profiles" / "Costa Rica.yaml").write_text("id: x\n", encoding="utf-8")
    assert problems_of(project) == [
        "country_profiles/Costa Rica.yaml: 'Costa Rica' is not a safe id: use lowercase letters, digits and single hyphens (for example 'costa-rica')"
    ]


def test_module_front_matter_is_required(project):
    (project / "modules" / "intro" / "index.md").write_text("# Sin metadatos\n", encoding="utf-8")
    (project / "modules" / "vacio").mkdir()
    assert problems_of(project) == [
        "modules/intro/index.md:1: must start with YAML front matter between two '---' lines",
        "modules/vacio: has no index.md; every module folder needs one",
    ]


def test_module_body_line_numbers_match_the_file(project):
    module = load_project(project).modules["intro"]
    lines = (project / "modules" / "intro" / "index.md").read_text(encoding="utf-8").splitlines()
    assert lines[module.body_first_line - 1] == "## Contenido"
    assert module.meta.line_of(("activities",)) == 8
