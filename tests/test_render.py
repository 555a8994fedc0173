"""Rendering: placeholders filled from the profile, strictly, in a sandbox, escaped."""

import pytest

from conftest import edit, build_edition
from toolkit.context import profile_context
from toolkit.load import load_project
from toolkit.pages import module_context, resolve_edition
from toolkit.render import MissingKeyError, RenderFailure, render_module_body, strip_trainer_blocks


def render(project, body_line, profile_edits=()):
    module_file = project / "modules/intro/index.md"
    edit(module_file, "Texto final visible.", body_line)
    loaded = load_project(project)
    profile = loaded.profiles["arcadia"].data
    for key, value in profile_edits:
        profile[key] = value
    return render_module_body(loaded.modules["intro"], module_context(loaded, "arcadia", "intro", profile_context(profile)), project / "modules")


def test_placeholders_and_conditionals_come_from_the_profile(project):
    text = render(project, "")
    assert "En Arcadia, la difusión se castiga en el artículo 202-A del Código Penal de Arcadia con dos a cinco años." in text
    assert "No hay tipo específico: Se aplica el tipo general de abuso." in text
    assert "{{" not in text and "{%" not in text


def test_a_missing_key_names_module_line_and_full_key_path(project):
    with pytest.raises(MissingKeyError) as err:
        render(project, "Pena: {{ offences.deepfakes.penalty }}")
    assert (err.value.use.template, err.value.use.line, err.value.use.key_path) == ("modules/intro/index.md", 27, "offences.deepfakes.penalty")


def test_a_missing_key_inside_a_condition_is_an_error_too(project):
    with pytest.raises(MissingKeyError) as err:
        render(project, "{% if offences.ncii.exists %}sí{% endif %}")
    assert err.value.use.key_path == "offences.ncii.exists"


def test_check_mode_lists_every_missing_key(project):
    edit(project / "modules/intro/index.md", "Texto final visible.", "{{ hotline_main }} y {{ institutions.ombudsman.name }}")
    problems = [str(p) for p in resolve_edition(load_project(project), "arcadia").problems]
    assert problems == [
        "modules/intro/index.md:27: 'hotline_main' is not defined in country_profiles/arcadia.yaml",
        "modules/intro/index.md:27: 'institutions.ombudsman.name' is not defined in country_profiles/arcadia.yaml",
    ]


def test_profile_values_are_escaped_never_markup(project):
    text = render(project, "{{ name }}", [("name", '<script>alert("x")</script>')])
    assert "<script>" not in text
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text


@pytest.mark.parametrize("expression", [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ name.__class__ }}",
    "{{ cycler.__init__.__globals__.os.environ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ offences.__class__.__init__.__globals__ }}",
])
def test_templates_cannot_reach_python_internals(project, expression):
    with pytest.raises((RenderFailure, MissingKeyError)):
        render(project, expression)


def test_a_template_syntax_error_names_the_line(project):
    with pytest.raises(RenderFailure) as err:
        render(project, "{% if name %}sin cerrar")
    assert err.value.template == "modules/intro/index.md"
    assert "template syntax error" in err.value.message


def test_trainer_and_answer_blocks_are_removed_nested_ones_included():
    markdown = (
        "Antes.\n\n"
        '!!! trainer "Notas"\n    Nota secreta.\n\n    Segundo párrafo secreto.\n\n'
        '??? question "P1"\n    ¿Pregunta?\n\n    !!! answer "R"\n        Respuesta secreta.\n\n    Sigue la pregunta.\n\n'
        "Después.\n"
    )
    kept = strip_trainer_blocks(markdown)
    assert "secret" not in kept
    assert "¿Pregunta?" in kept and "Sigue la pregunta." in kept and "Después." in kept


def test_participant_pages_lack_trainer_text_that_trainer_pages_have(project):
    edition = build_edition(load_project(project), "arcadia")
    page = next(p for p in edition.pages if p.module_id == "intro")
    assert "SECRETO-FORMADOR" in page.trainer and "SECRETO-RESPUESTA: el 202-A" in page.trainer
    assert "SECRETO" not in page.participant


def test_unverified_offences_are_marked_where_they_are_cited(project):
    edit(project / "country_profiles/arcadia.yaml", 'conduct: Difundir imágenes íntimas sin consentimiento., penalty: dos a cinco años, aggravating: [], source: {title: CP art. 202-A, url: "https://example.org/cp"}, verified: true', 'conduct: Difundir imágenes íntimas sin consentimiento., penalty: dos a cinco años, aggravating: [], source: {title: CP art. 202-A, url: "https://example.org/cp"}, verified: false')
    edit(project / "modules/intro/index.md", "Texto final visible.", "Otra vez: {{ offences.ncii.citation }}.")
    page = next(p for p in build_edition(load_project(project), "arcadia").pages if p.src_uri == "intro/index.md")
    marker = ' [por verificar](../marco-juridico.md#dato-offences-ncii "Dato pendiente de verificación por especialistas nacionales: véase el marco jurídico"){ .unverified }'
    # Once per page, at the first use of the fact, linking to its row on the legal page.
    assert f"artículo 202-A del Código Penal de Arcadia{marker} con dos a cinco años." in page.participant
    assert page.participant.count("por verificar") == 1
    assert "Otra vez: artículo 202-A del Código Penal de Arcadia." in page.participant
    assert "pendiente de verificación)" not in page.participant


def test_glossary_renders_country_terms_sorted_ignoring_accents(project):
    edition = build_edition(load_project(project), "arcadia")
    assert edition.glossary == [
        ("Acoso", "En Arcadia, artículo 101 del Código Penal de Arcadia."),
        ("Denuncia", "Comunicación de un hecho delictivo a la Fiscalía de Arcadia."),
        ("Órgano rector", "La entidad que dirige la política pública."),
    ]
    page = next(p for p in edition.pages if p.src_uri == "glosario.md")
    assert "**Denuncia**\n:   Comunicación de un hecho delictivo a la Fiscalía de Arcadia." in page.participant


def test_glossary_missing_key_names_its_line(project):
    edit(project / "modules/glossary.yaml", "{{ offences.harassment.citation }}", "{{ offences.stalking.citation }}")
    assert [str(p) for p in resolve_edition(load_project(project), "arcadia").problems] == [
        "modules/glossary.yaml:9: 'offences.stalking.citation' is not defined in country_profiles/arcadia.yaml"
    ]
