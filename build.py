#!/usr/bin/env python3
"""Command line of the judicial trainer curriculum toolkit. Run with --help."""

from __future__ import annotations

import os
from pathlib import Path

import click

from toolkit import pipeline
from toolkit.adaptation import to_fill_lines
from toolkit.errors import count_line
from toolkit.outputs import output_names

ROOT = Path(__file__).resolve().parent
COUNTRY_OPTION = click.option("--country", "countries", multiple=True, metavar="ID", help="A country profile id (repeatable); default: every profile.")


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name=None, version=__import__("toolkit").__version__)
@click.option("--project", "root", type=click.Path(exists=True, file_okay=False, path_type=Path), default=ROOT, show_default="this folder", help="The course project to work on.")
@click.pass_context
def cli(ctx, root):
    """Build per-country training sites from modules authored once and country profiles."""
    ctx.obj = root.resolve()


@cli.command("build")
@COUNTRY_OPTION
@click.option("--output", "outputs", multiple=True, metavar="NAME",
              help=f"Build only this output (repeatable; outputs: {', '.join(output_names())}); the others stay as published. Default: every output.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("site"), show_default=True, help="Public folder: DIR/<country>/ per edition (its site and published files) and DIR/index.html.")
@click.option("--handbooks-out", "handbooks_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("handbooks"), show_default=True, help="Trainer-only folder: DIR/<country>/, e.g. the handbooks a profile does not publish (<country>-<programme>.pdf).")
@click.option("--publish-handbooks", is_flag=True, help="Publish every handbook on its site (DIR/<country>/handbooks/), whatever the profiles say.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=os.cpu_count() or 1, show_default="the number of cores", help="Jobs run at once, each in a process of its own: with two or more countries, each country's handbooks, workbook, decks and question bank are jobs apart, then its site and packages.")
@click.option("--draft", is_flag=True, help="Build countries whose profile still has values to fill: each shows highlighted as 'por adaptar', and the edition is marked as a draft.")
@click.option("--strict", is_flag=True, help="Treat warnings (unverified facts, missing links, no national review) as errors, as 'check --strict' does.")
@click.pass_obj
def build_command(root, countries, outputs, out_dir, handbooks_dir, publish_handbooks, jobs, draft, strict):
    """Build each country's outputs: its participant site and trainer handbooks.

    A profile with 'publish_handbooks: true' (or --publish-handbooks) puts its handbooks on
    its site; otherwise they go to --handbooks-out, for trainers only. What did not change
    since the last build is reused. Nothing is replaced unless every requested country builds.
    Exit 0 on success (warnings allowed unless --strict), 1 on problems.
    """
    result = pipeline.build(root, out_dir, countries, handbooks_dir, publish_handbooks, draft,
                            progress=lambda m: click.echo(m, err=True), jobs=jobs, strict=strict, outputs=outputs)
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    built = sorted(r.country for r in result.countries)
    click.echo(f"Built {len(built)} edition(s) into {out_dir}/: {', '.join(built)}")
    click.echo(f"build succeeded, {count_line(0, len(result.warnings)).split(', ')[1]}")


@cli.command("check")
@COUNTRY_OPTION
@click.option("--strict", is_flag=True, help="Treat warnings (unverified facts, missing links, overdue reviews) as errors.")
@click.option("--show", "key_path", metavar="KEY", help="Instead, print every rendered sentence that shows this profile key (or a key under it), by file and line.")
@click.pass_obj
def check_command(root, countries, strict, key_path):
    """Validate profiles, programmes and every module placeholder without building.

    Exit 0 when clean (warnings allowed unless --strict), 1 when there are errors. With
    --show KEY, exit 0 when some sentence shows the key, 1 when none does.
    """
    result = pipeline.check(root, countries)
    if key_path:
        show_key(result, key_path)
        return
    problems = result.problems
    errors = sum(1 for p in problems if p.severity == "error" or strict)
    for problem in problems:
        if not problem.to_fill:
            click.echo(str(problem), err=True)
    schema = result.project.profile_schema.data if result.project.profile_schema else {}
    for country in result.countries:
        for line in to_fill_lines(pipeline.profile_path(country), result.of_country(country), result.usage, schema):
            click.echo(line, err=True)
    click.echo(f"{'check failed' if errors else 'check passed'} ({', '.join(result.countries) or 'no countries'}): {count_line(errors, len(problems) - errors)}")
    if errors:
        raise SystemExit(1)


def show_key(result, key_path: str) -> None:
    """check --show: the sentences of each selected country that show key_path."""
    import difflib

    from toolkit.where import keys_shown, landings

    shown, keys = 0, set()
    for country in result.countries:
        resolution = next((r for key, r in result.resolutions.items() if key[0] == country), None)
        if resolution is None:
            click.echo(f"{country}: not rendered; fix what 'python build.py check --country {country}' reports first", err=True)
            continue
        found = landings(resolution, key_path)
        keys |= keys_shown(resolution)
        shown += len(found)
        click.echo(f"== {country}: '{key_path}' shows in {len(found)} sentence(s)")
        for landing in found:
            click.echo(f"{landing.source}:{landing.line}: {landing.sentence}")
    if not shown:
        close = difflib.get_close_matches(key_path, sorted(keys), n=3)
        raise click.ClickException(f"no sentence shows '{key_path}'" + (f"; did you mean {', '.join(close)}?" if close else ""))


@cli.command("report")
@click.pass_obj
def report_command(root):
    """Print the adaptation matrix: modules by countries, each ready, missing or unverified.

    Also says, per country, which programmes can be delivered now. 'build' publishes the
    same report as a page of the landing site.
    """
    from toolkit.adaptation import report_lines

    for line in report_lines(pipeline.report(root)):
        click.echo(line)


@cli.command("diff")
@click.argument("first", metavar="A")
@click.argument("second", metavar="B")
@click.option("--module", "modules", multiple=True, metavar="ID", help="Only this module (repeatable).")
@click.option("--summary", is_flag=True, help="Only how many lines differ per module.")
@click.pass_obj
def diff_command(root, first, second, modules, summary):
    """Show what differs between two countries' renderings, module by module.

    Compares the trainer version (everything a module says) as unified diffs. Exit 0 whether
    or not they differ.
    """
    for module_id, lines in pipeline.diff(root, first, second, modules):
        changed = sum(1 for line in lines if line[:1] in "+-" and not line.startswith(("+++", "---")))
        click.echo(f"== {module_id}: {changed} line(s) differ")
        if not summary:
            for line in lines:
                click.echo(line)


@cli.command("new-country")
@click.argument("country", metavar="ID")
@click.option("--name", required=True, help="The country's short name as written in the course (\"Bolivia\").")
@click.option("--language", default="es", show_default=True, help="Language of the edition.")
@click.option("--from", "source", metavar="EXISTING", help="Copy the structure of this profile (its keys, how many items its lists have) and its non-legal values (review.valid_months, case_names.platform); every other value is to fill again, with EXISTING's value in a comment above it to consult.")
@click.option("--answers", "answers_file", type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE",
              help="Whether each offence is typified: a YAML mapping of offence id to yes, no or unknown (see above).")
@click.option("--ask/--no-ask", default=None, help="Ask about each offence FILE does not answer. Default: ask when stdin is a terminal.")
@click.pass_obj
def new_country_command(root, country, name, language, source, answers_file, ask):
    """Write country_profiles/ID.yaml with the keys that apply to the country, each to fill.

    For each offence of the course (harassment, sexual_harassment, sexual_blackmail, ncii,
    grooming, csam, identity_theft, illegal_access, psychological_violence) the profile asks
    only what applies: 'yes', the law typifies it (article, instrument, conduct, penalty,
    aggravating circumstances); 'no', it does not (fallback: what judges rely on instead, and
    fallback_articles); 'unknown', not established yet (only a source and evidence saying what
    is not known). Answers come from --answers FILE, a YAML mapping of offence id to answer:

    \b
        ncii: yes
        sexual_blackmail: yes
        grooming: no
        csam: unknown

    then, for the offences FILE leaves out, from a question each when stdin is a terminal (or
    --ask). An offence nobody answered is 'unknown'. Optional values start as null (or are left
    out) with a comment saying when to fill them. Refuses to overwrite a profile. Then run
    'check --country ID' for the list of what is still to fill, by module.
    """
    import sys

    from toolkit.load import load_project
    from toolkit.scaffold import offences_of, new_profile, preflight, read_answers, answer_value, ANSWERS, DEFAULT_ANSWER

    project = load_project(root)
    preflight(project, country, language, source)
    schema = project.profile_schema.data
    typified = read_answers(answers_file, schema) if answers_file else {}
    if ask if ask is not None else sys.stdin.isatty():
        for offence, description in offences_of(schema).items():
            if offence not in typified:
                answer = click.prompt(f"{offence}: {description.rstrip('.')}. Typified in {name}'s law?",
                                      type=click.Choice(list(ANSWERS)), default=DEFAULT_ANSWER)
                typified[offence] = answer_value(answer)
    path, values_to_fill = new_profile(project, country, name, language, source, typified)
    click.echo(f"Wrote {path.relative_to(root)}: {values_to_fill} value(s) to fill. Next: python build.py check --country {country}")


@cli.group("review")
def review_group():
    """National legal review: a profile's legal facts as a worksheet for a national reviewer, and back.

    'review export' writes the worksheet (XLSX, in the profile's language, with instructions);
    'review import' applies what the reviewer wrote to the profile, keeping its comments.
    """


@review_group.command("export")
@click.option("--country", required=True, metavar="ID", help="The country profile whose legal facts are to review.")
@click.option("--out", "out_file", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="The file to write (default: the language file's name for it, e.g. revision-juridica-ID.xlsx, in the current folder).")
@click.pass_obj
def review_export_command(root, country, out_file):
    """Write a worksheet with one row per legal fact of the profile for a national reviewer.

    Each row shows the fact as participants read it, every sentence of the course that shows
    it, its source, evidence and state, and columns for the reviewer's decision, corrected
    value, official source, remarks, name and date. Exit 0 when written, 1 on problems.
    """
    from toolkit.review import export_sheet

    path, count = export_sheet(root, country, out_file)
    click.echo(f"Wrote {path}: {count} legal fact(s) of {country} to review. Send it to the national reviewer; "
               f"then: python build.py review import {path.name}")


@review_group.command("import")
@click.argument("sheet", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--country", metavar="ID", default=None, help="The profile to update (default: the one the sheet was exported for).")
@click.pass_obj
def review_import_command(root, sheet, country):
    """Apply a filled review worksheet to its country profile and print what changed as a diff.

    A fact confirmed with an official source becomes verified, with its source, reviewer and
    date; a correction is applied; an empty row changes nothing; a fact changed since the
    export is reported, not overwritten. A malformed sheet changes nothing: each problem names
    its sheet, column and row. Exit 0 when applied, 1 on problems.
    """
    from toolkit.review import import_sheet

    result = import_sheet(root, sheet, country)
    for line in result.diff:
        click.echo(line, nl=not line.endswith("\n"))
    for line in result.applied:
        click.echo(line, err=True)
    for warning in result.warnings:
        click.echo(f"warning: {warning}", err=True)
    if result.changed:
        click.echo(f"Updated {result.profile}: {len(result.applied)} fact(s) reviewed. Next: python build.py check --country {result.country}")
    else:
        click.echo(f"{result.profile} unchanged")


def certificates_help() -> str:
    """The help of 'certificates', with the roster's column names from the language file."""
    from toolkit.words import DEFAULT_LANGUAGE, labels

    words = labels(DEFAULT_LANGUAGE)["certificate_words"]
    c, files = words["columns"], {"country": "<country>", "programme": "<programme>"}
    return f"""Write a certificate per participant (one PDF) and the register of what was issued (CSV).

    The roster is a CSV (UTF-8, with or without BOM; ';' or ',' separated) whose first line names
    its columns, as the language file does: {c['name']}, {c['start']} and {c['end']} (the first and
    last day of the edition the person attended: DD/MM/YYYY or YYYY-MM-DD) are required;
    {c['document']} (ID document) and {c['score']} (post-test score, 0 to 100) are optional:

    \b
        {';'.join(c.values())}

    A score at or above assessment.pass_mark of curriculum/course.yaml earns a certificate of
    approval; otherwise, or without a score, one of participation. The hours come from the
    programme's agenda; the signatories from judicial_school.signatories of the profile.
    Writes OUT/{words['file_name'].format(**files)} and OUT/{words['register_file_name'].format(**files)}.
    Every bad row is reported as FILE:LINE and nothing is written; an
    edition with errors or values to fill is refused. Exit 0 when written, 1 on problems.
    """


@cli.command("certificates", help=certificates_help())
@click.option("--country", required=True, metavar="ID", help="The country whose edition was delivered.")
@click.option("--programme", "programme_id", required=True, metavar="ID", help="The programme delivered (a file name of curriculum/ without .yaml).")
@click.option("--roster", required=True, type=click.Path(exists=True, dir_okay=False, path_type=Path), metavar="FILE.csv",
              help="The participants: a CSV (UTF-8; ';' or ',' separated) with a header row, see above.")
@click.option("--out", "out_dir", type=click.Path(file_okay=False, path_type=Path), default=Path("certificates"), show_default=True,
              help="Folder for the PDF and the register.")
@click.option("--group", metavar="LABEL", help="One of several groups of the programme (A, B, LIMA1: letters and digits): "
                                               "the label goes into every certificate number and the file names, so two groups "
                                               "that end the same day never share a number or a file.")
@click.pass_obj
def certificates_command(root, country, programme_id, roster, out_dir, group):
    """Write a certificate per participant and the register (see certificates_help)."""
    from toolkit.certificates import issue

    result = issue(root, country, programme_id, roster, out_dir, group or "", progress=lambda m: click.echo(m, err=True))
    for warning in result.warnings:
        click.echo(str(warning), err=True)
    approved = sum(1 for c in result.certificates if c.approved)
    click.echo(f"Wrote {result.pdf} ({len(result.certificates)} certificate(s): {approved} of approval, "
               f"{len(result.certificates) - approved} of participation) and its register {result.register}")


@cli.command("serve")
@click.option("--country", required=True, metavar="ID", help="The country profile to preview.")
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, metavar="IP:PORT", help="Address to serve on.")
@click.pass_obj
def serve_command(root, country, dev_addr):
    """Preview one country's site; it re-renders when a module, profile or programme changes."""
    from toolkit.serve import serve

    serve(root, country, dev_addr)


if __name__ == "__main__":
    cli()
