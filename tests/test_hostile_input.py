"""Broken or hostile input: a clear message, a non-zero exit, and the previous output untouched."""

import pytest

from conftest import edit

PROFILE = "country_profiles/arcadia.yaml"
MODULE = "modules/intro/index.md"
LAST_LINE = "Texto final visible."


def write(path, data):
    def change(project):
        target = project / path
        target.write_bytes(data) if isinstance(data, bytes) else target.write_text(data, encoding="utf-8")
    return change


def replace(path, old, new):
    return lambda project: edit(project / path, old, new)


CASES = {
    "yaml that does not parse": (replace(PROFILE, "name: Arcadia", "name: [Arcadia"), [
        f"{PROFILE}:4: YAML does not parse (column 10): expected ',' or ']', but got ':'"]),
    "duplicate key": (replace(PROFILE, "locale: es_AR", "locale: es_AR\nname: Otra"), [
        f"{PROFILE}:8: duplicate key 'name' (first written on line 3); keep one"]),
    "wrong type": (replace(PROFILE, 'edition: "T-1"', "edition: 7"), [
        f"{PROFILE}:8: 'edition' must be string, not a number"]),
    "unknown key": (replace(PROFILE, "locale: es_AR", "locale: es_AR\nlenguage: es"), [
        f"{PROFILE}:8: unknown key 'lenguage'; did you mean 'language'?"]),
    "empty file": (write(PROFILE, ""), [
        f"{PROFILE}: is empty; it must hold a YAML mapping"]),
    "not UTF-8": (write(PROFILE, "id: arcadia\nname: Arcad\xeda\n".encode("latin-1")), [
        f"{PROFILE}:2: is not UTF-8 text (column 12); save the file as UTF-8"]),
    "a review date that does not exist": (replace(PROFILE, 'reviewed_on: "2026-01-15"', 'reviewed_on: "2026-13-45"'), [
        f"{PROFILE}:9: 'review.reviewed_on' is '2026-13-45', which is not a date; write it as YYYY-MM-DD"]),
    "profile schema missing": (lambda p: (p / "country_profiles/schema.yaml").unlink(), [
        "country_profiles/schema.yaml: is missing"]),
    "asset that does not exist": (replace(MODULE, LAST_LINE, "![Esquema de la ruta](esquema.png)"), [
        f"{MODULE}:27: links to 'esquema.png', which does not exist"]),
    "link to a module that does not exist": (replace(MODULE, LAST_LINE, "Véase [el módulo siguiente](../evidencia/index.md)."), [
        f"{MODULE}:27: links to '../evidencia/index.md', which does not exist"]),
    "image without alternative text": (lambda p: [(p / "modules/intro/ruta.png").write_bytes(b"\x89PNG"), edit(p / MODULE, LAST_LINE, "![](ruta.png)")], [
        f"{MODULE}:27: image 'ruta.png' has no alternative text; describe it between the brackets"]),
    "anchor that does not exist (found in the built site)": (replace(MODULE, LAST_LINE, "Véase [la sección](#no-existe)."), [
        f"{MODULE}:27: arcadia: link '#no-existe' points to an anchor that does not exist"]),
    "raw HTML link and image without alt (found in the built site)": (replace(MODULE, LAST_LINE, '<a href="../nada/index.html">nada</a> <img src="x.png">'), [
        f"{MODULE}:27: arcadia: image 'x.png' has no alternative text",
        f"{MODULE}:27: arcadia: link '../nada/index.html' leads to no file of the site",
        f"{MODULE}:27: arcadia: link 'x.png' leads to no file of the site"]),
    "include of a module that does not exist": (replace(MODULE, LAST_LINE, '{% include "otro/parte.md" %}'), [
        f"{MODULE}:27: includes 'otro/parte.md', which does not exist under modules/"]),
    "include path leaving modules/": (replace(MODULE, LAST_LINE, '{% include "../country_profiles/arcadia.yaml" %}'), [
        f"{MODULE}:27: includes '../country_profiles/arcadia.yaml', outside modules/; include paths are relative to modules/ and cannot leave it"]),
    "programme naming an unknown module": (replace("curriculum/jornada.yaml", "module: intro", "module: intro2"), [
        "curriculum/jornada.yaml:9: unknown module 'intro2'; did you mean 'intro'?"]),
    "id that is not a safe file name": (lambda p: (p / "country_profiles/Costa Rica.yaml").write_text("id: x\n", encoding="utf-8"), [
        "country_profiles/Costa Rica.yaml: 'Costa Rica' is not a safe id: use lowercase letters, digits and single hyphens (for example 'costa-rica')"]),
    "personal data in a case study": (replace(MODULE, LAST_LINE, "Caso ficticio: escriba a ana.uno@example.org o al 555-123-4567; DNI 45678912."), [
        f"{MODULE}:27: contains what looks like a national ID number (Peru's DNI) ('45678912'); case studies are fictional and carry no personal data",
        f"{MODULE}:27: contains what looks like a phone number ('555-123-4567'); case studies are fictional and carry no personal data",
        f"{MODULE}:27: contains what looks like an e-mail address ('ana.uno@example.org'); case studies are fictional and carry no personal data"]),
    "sandbox escape through a string": (replace(MODULE, LAST_LINE, "{{ ''.__class__.__mro__[1].__subclasses__() }}"), [
        f"{MODULE}:27: arcadia: not allowed in a module: access to attribute '__class__' of 'str' object is unsafe."]),
    "sandbox escape through a global": (replace(MODULE, LAST_LINE, "{{ cycler.__init__.__globals__.os.environ }}"), [
        f"{MODULE}:27: arcadia: not allowed in a module: access to attribute '__init__' of 'type' object is unsafe."]),
    "sandbox escape through str.format": (replace(MODULE, LAST_LINE, "{{ '{0.__class__.__base__}'.format(name) }}"), [
        f"{MODULE}:27: arcadia: not allowed in a module: access to attribute '__class__' of 'str' object is unsafe."]),
    "reading the environment": (replace(MODULE, LAST_LINE, "{{ lipsum.__globals__['os'].environ }}"), [
        f"{MODULE}:27: arcadia: not allowed in a module: access to attribute '__globals__' of 'function' object is unsafe."]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_bad_input_gives_the_exact_error_and_keeps_the_previous_output(case, project, run_cli, tmp_path):
    out, handbooks = tmp_path / "site", tmp_path / "hb"
    assert run_cli("--project", project, "build", "--out", out, "--handbooks-out", handbooks).exit_code == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "course" not in p.parts}
    change, expected = CASES[case]
    change(project)
    result = run_cli("--project", project, "build", "--out", out, "--handbooks-out", handbooks)
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    messages = [line for line in result.stderr.splitlines() if not line.startswith(("Loading", "Adaptation", "["))]
    assert messages == [*expected, f"{len(expected)} error{'s' if len(expected) > 1 else ''}, 0 warnings"]
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file() and "course" not in p.parts} == before
    assert [p.name for p in tmp_path.iterdir() if ".staging" in p.name] == []


def test_markup_in_a_profile_is_shown_as_text_everywhere(project, run_cli, tmp_path):
    edit(project / PROFILE, "name: Arcadia", "name: <script>alert('x')</script>")
    edit(project / PROFILE, "judicial_school: {name: Escuela Judicial de Arcadia", "judicial_school: {name: <b onmouseover=alert(1)>Escuela</b>")
    out = tmp_path / "site"
    assert run_cli("--project", project, "build", "--out", out, "--handbooks-out", tmp_path / "hb").exit_code == 0
    for page in [*out.rglob("*.html")]:
        html = page.read_text(encoding="utf-8")
        assert "<script>alert" not in html and "<b onmouseover" not in html, page
    home = (out / "arcadia/index.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(" in home and "&lt;b onmouseover=alert(1)&gt;Escuela&lt;/b&gt;" in home


def test_an_authors_html_comment_is_not_printed_nor_taken_for_a_print_part_mark():
    from conftest import REPO
    from toolkit.markdown_html import markdown_to_html

    html = markdown_to_html("Antes.\n\n<!-- print-part -->\n\nDespués, en código: `<!-- print-part -->`.", REPO)
    assert "<!--" not in html and "&lt;!-- print-part --&gt;" in html
