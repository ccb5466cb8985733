"""The command line: `clusterwatch --help` lists the commands."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer
from sqlalchemy import Engine, select

from clusterwatch.db import current_revision, make_engine, migrate, session_factory, transaction
from clusterwatch.settings import Settings, get_settings, normalise_database_url

if TYPE_CHECKING:
    from clusterwatch.problems import BadInput

app = typer.Typer(
    help="clusterwatch: monitoring of industrial-cluster programmes (plan registry, reporting, assessment, maps).",
    no_args_is_help=True,
    add_completion=False,
)

DEMO_DB = "clusterwatch-demo.db"

DbOption = Annotated[
    str | None,
    typer.Option("--db", help="SQLite file or database URL (default: $CLUSTERWATCH_DATABASE_URL or clusterwatch.db)."),
]
HostOption = Annotated[str, typer.Option("--host", help="Address to listen on.")]
PortOption = Annotated[int, typer.Option("--port", help="Port to listen on.", min=1, max=65535)]


def _url(db: str | None, default: str | None = None) -> str:
    try:
        if db:
            return normalise_database_url(db)
        if default and "CLUSTERWATCH_DATABASE_URL" not in os.environ:
            return normalise_database_url(default)
        return get_settings().database_url
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--db") from None


def _engine(url: str) -> Engine:
    return make_engine(url, schema=get_settings().database_schema)


def _migrated(url: str) -> Engine:
    """An engine on an up-to-date schema, or a clear message if the database cannot be reached."""
    from sqlalchemy.exc import OperationalError

    engine = _engine(url)
    try:
        migrate(engine)
    except OperationalError as exc:
        _fail(f"cannot use the database {engine.url.render_as_string(hide_password=True)}: {exc.orig}")
    return engine


def _fail(message: str) -> NoReturn:
    typer.secho(message, fg=typer.colors.RED, err=True)
    raise typer.Exit(1)


def _language() -> str:
    return get_settings().default_language


def _said(value) -> str:
    """A message (NotFound's, a refusal's) in the settings' language."""
    from clusterwatch.web.i18n import localized

    return localized(value, _language())


def _problem_lines(exc: BadInput, *, fields: bool = True) -> list[str]:
    """The problems of a BadInput (a plan file's, an unreadable document's, a form's) in the
    settings' language, one line each: the one place the command line words them. A plan file's
    problems come under a line naming the file and their count."""
    from clusterwatch.plans.planfile import PlanFileError
    from clusterwatch.web.i18n import localized, problem_lines

    lang = _language()
    lines = problem_lines(exc.problems, lang, fields=fields)
    if isinstance(exc, PlanFileError):
        return [localized(exc.summary, lang), *("  " + line for line in lines)]
    return lines


def _refuse(exc: BadInput, before: str | None = None) -> NoReturn:
    """Stop on a BadInput, every problem on its line."""
    _fail("\n".join([*([before] if before else []), *_problem_lines(exc)]))


@app.command("init-db")
def init_db(db: DbOption = None) -> None:
    """Create or upgrade the database schema (Alembic migrations)."""
    url = _url(db)
    _migrated(url)
    typer.echo(f"database ready at {url}")


@app.command("load-plan")
def load_plan_command(
    file: Annotated[Path, typer.Argument(help="A plan file (YAML, format clusterwatch-plan/1; see docs/plan-format.md).")],
    db: DbOption = None,
    reason: Annotated[str | None, typer.Option(help="Why the plan is loaded; kept with the plan's version.")] = None,
    yes: Annotated[bool, typer.Option("--yes", help="Load even when the file removes entries the plan holds.")] = False,
) -> None:
    """Check a plan file, say what loading it changes, and load it; on any problem nothing is written."""
    from clusterwatch.plans.loader import load_plan
    from clusterwatch.plans.planfile import PlanFileError, read_plan_file
    from clusterwatch.plans.versions import plan_changes, removes_anything

    try:
        validated = read_plan_file(file)
    except PlanFileError as exc:
        _refuse(exc)
    engine = _migrated(_url(db))
    try:
        with transaction(session_factory(engine)) as session:
            changes = plan_changes(session, validated.data)
            for part, counts in changes.items():
                if any(counts.values()):
                    typer.echo(f"{part}: {counts['added']} added, {counts['changed']} changed, {counts['removed']} removed")
            if removes_anything(changes) and not yes:
                _fail("the file removes entries the plan holds (above); run again with --yes to load it")
            plan = load_plan(session, validated, reason=reason or f"从 {file.name} 载入 (loaded from {file.name})")
            summary = _plan_summary(session, plan)
    except PlanFileError as exc:
        _refuse(exc)
    typer.echo(f"loaded plan {validated.data.plan.code} from {file}: {summary}")


def _plan_summary(session, plan) -> str:
    from sqlalchemy import func

    from clusterwatch.plans.models import Cluster, LayoutPlacement, Target

    clusters = session.scalar(select(func.count()).select_from(Cluster).where(Cluster.plan_id == plan.id))
    layout = session.scalar(select(func.count()).select_from(LayoutPlacement).join(Cluster).where(Cluster.plan_id == plan.id))
    targets = session.scalar(select(func.count()).select_from(Target).where(Target.plan_id == plan.id))
    return f"{clusters} clusters, {layout} layout placements, {targets} targets"


@app.command("generate-demo")
def generate_demo_command(
    db: DbOption = None,
    seed: Annotated[int, typer.Option(help="Seed; the same seed gives the same data.")] = 2020,
    monthly_year: Annotated[int | None, typer.Option(help="Last year of the two years of monthly series (default: the plan horizon).")] = None,
    plan: Annotated[str | None, typer.Option(help="Plan code (default: the plan loaded last).")] = None,
) -> None:
    """Replace the synthetic demo data of a loaded plan (always labelled synthetic)."""
    from clusterwatch.demo.generator import generate_demo
    from clusterwatch.errors import NotFound
    from clusterwatch.plans.queries import active_plan

    engine = _migrated(_url(db))
    try:
        with transaction(session_factory(engine)) as session:
            summary = generate_demo(session, active_plan(session, plan), seed=seed, monthly_year=monthly_year)
    except NotFound:
        _fail("no plan is loaded: run `clusterwatch load-plan FILE` first")
    typer.echo(
        f"generated {summary.observations} synthetic observations ({summary.annual} annual "
        f"{summary.years[0]}–{summary.years[1]}, {summary.monthly} monthly {summary.monthly_year - 1}–{summary.monthly_year})"
    )
    if summary.enterprises:
        firms = summary.enterprises
        typer.echo(f"and {firms.firms} synthetic firms with {firms.returns} annual returns, {firms.memberships} list "
                   f"memberships and {len(firms.runs)} evaluation runs")


def build_demo_database(url: str) -> str | None:
    """Migrate, load the embedded Guangdong plan, generate demo data and add the demo's
    administrator if no plan is loaded.

    Returns the administrator's password (random, shown once) if it built anything.
    """
    from clusterwatch.demo.generator import generate_demo
    from clusterwatch.plans.loader import load_plan
    from clusterwatch.plans.models import Plan
    from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file

    engine = _migrated(url)
    factory = session_factory(engine)
    with factory() as session:
        if session.scalar(select(Plan.id).limit(1)) is not None:
            return None
    import secrets

    from clusterwatch.accounts.service import create_user

    password = os.environ.get("CLUSTERWATCH_DEMO_PASSWORD") or secrets.token_urlsafe(12)
    with transaction(factory) as session:
        plan = load_plan(session, read_plan_file(embedded_plan_path("guangdong")), reason="随演示数据载入的内置规划 (the embedded plan, loaded with the demo)")
        generate_demo(session, plan)
        create_user(session, username="admin", password=password, role="province_admin", display_name="演示管理员 demo admin")
    engine.dispose()
    return password


def _serve(url: str, host: str, port: int) -> None:
    import uvicorn

    from clusterwatch.web.app import create_app

    settings = Settings(database_url=url, database_schema=get_settings().database_schema)
    typer.echo(f"clusterwatch serving {url} at http://{host}:{port}  (Ctrl+C to stop)")
    uvicorn.run(create_app(settings), host=host, port=port, log_level="warning")


@app.command()
def demo(host: HostOption = "127.0.0.1", port: PortOption = 8000, db: DbOption = None) -> None:
    """Build the demo database if absent (Guangdong plan + synthetic data), then serve it."""
    url = _url(db, default=DEMO_DB)
    password = build_demo_database(url)
    if password:
        typer.echo(f"built the demo database at {url} (synthetic data, labelled as such)")
        typer.echo(f"sign in to review plans as: admin / {password}   (shown once; change it with `clusterwatch user password admin`)")
    _serve(url, host, port)


@app.command()
def serve(host: HostOption = "127.0.0.1", port: PortOption = 8000, db: DbOption = None) -> None:
    """Serve the web application and API over an existing database."""
    from clusterwatch.plans.models import Plan

    url = _url(db)
    engine = _engine(url)
    try:
        revision = current_revision(engine)
    except Exception as exc:  # noqa: BLE001 - any failure to connect is reported, not traced
        _fail(f"cannot use the database {engine.url.render_as_string(hide_password=True)}: {exc}")
    if revision is None:
        _fail(f"{url} has no clusterwatch schema: run `clusterwatch init-db` and `clusterwatch load-plan FILE`, or `clusterwatch demo`")
    migrate(engine)
    with session_factory(engine)() as session:
        if session.scalar(select(Plan.id).limit(1)) is None:
            _fail("no plan is loaded: run `clusterwatch load-plan FILE` first")
    engine.dispose()
    _serve(url, host, port)


@app.command()
def report(
    period: Annotated[str, typer.Option(help="The report's period: 2025, 2025-Q3 or 2025-09.")],
    scope: Annotated[str, typer.Option(help="province, cluster:<slug> or city:<code>.")] = "province",
    format: Annotated[str, typer.Option("--format", help="pdf or xlsx.")] = "pdf",
    output: Annotated[Path | None, typer.Option(help="File to write (default: clusterwatch-<scope>-<period>.<format>).")] = None,
    lang: Annotated[str, typer.Option(help="zh or en.")] = "zh",
    db: DbOption = None,
) -> None:
    """Write the monitoring report of the province, a cluster or a city for a period (PDF or .xlsx).

    Without --db: $CLUSTERWATCH_DATABASE_URL, else clusterwatch.db, else the demo's
    clusterwatch-demo.db, whichever exists first.
    """
    from clusterwatch.assessment.report import report_data
    from clusterwatch.assessment.report_workbook import render_xlsx
    from clusterwatch.errors import NotFound
    from clusterwatch.plans.queries import active_plan
    from clusterwatch.problems import BadInput
    from clusterwatch.web.report_pdf import render_pdf

    if format not in ("pdf", "xlsx"):
        raise typer.BadParameter("write pdf or xlsx", param_hint="--format")
    if lang not in ("zh", "en"):
        raise typer.BadParameter("write zh or en", param_hint="--lang")
    engine = _migrated(_url(_or_demo(db)))
    try:
        with session_factory(engine)() as session:
            data = report_data(session, active_plan(session), scope=scope, period=period)
    except BadInput as exc:
        raise typer.BadParameter("; ".join(_problem_lines(exc, fields=False)), param_hint=f"--{exc.field}") from None
    except NotFound as exc:
        if exc.kind == "plan":
            _fail("no plan is loaded: run `clusterwatch load-plan FILE` or `clusterwatch demo` first")
        raise typer.BadParameter(_said(exc.message), param_hint="--scope") from None
    content = render_pdf(data, lang) if format == "pdf" else render_xlsx(data, lang)
    target = output or Path(f"clusterwatch-{data.scope.replace(':', '-')}-{data.period}.{format}")
    target.write_bytes(content)
    typer.echo(f"wrote {target} ({len(content):,} bytes; goals: {sum(data.counts.values())}"
               f"{', synthetic data' if data.data.synthetic else ''})")


def _or_demo(db: str | None) -> str | None:
    """The demo's database when nothing else is named and it is the one there."""
    if db is None and "CLUSTERWATCH_DATABASE_URL" not in os.environ and not Path("clusterwatch.db").exists() \
            and Path(DEMO_DB).exists():
        return DEMO_DB
    return db


@app.command()
def evaluate(
    year: Annotated[int, typer.Option(help="The year whose approved annual returns of firms are evaluated.")],
    scheme: Annotated[str, typer.Option(help="The scheme's code; its newest version is used.")] = "per-mu-default",
    scheme_file: Annotated[Path | None, typer.Option(help="A scheme (YAML) to store as the scheme's next version first.")] = None,
    output: Annotated[Path | None, typer.Option(help="Also write every firm's result with its breakdown (.xlsx or .csv).")] = None,
    db: DbOption = None,
) -> None:
    """Run the comprehensive evaluation of enterprises for a year and store every firm's result.

    Running a year again with the same scheme version replaces its results. Without --db: as `report`.
    """
    import yaml

    from clusterwatch.enterprises.evaluation.results import export_columns, result_rows
    from clusterwatch.enterprises.evaluation.runs import run_evaluation, save_scheme_version, scheme_versions
    from clusterwatch.enterprises.exports import table_file
    from clusterwatch.errors import NotFound
    from clusterwatch.plans.queries import active_plan
    from clusterwatch.problems import BadInput

    if output is not None and output.suffix not in (".xlsx", ".csv"):
        raise typer.BadParameter("write a file name ending in .xlsx or .csv", param_hint="--output")
    engine = _migrated(_url(_or_demo(db)))
    try:
        with transaction(session_factory(engine)) as session:
            if scheme_file is not None:
                try:
                    data = yaml.safe_load(scheme_file.read_text(encoding="utf-8"))
                except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
                    raise typer.BadParameter(f"cannot read it: {exc}", param_hint="--scheme-file") from None
                scheme = save_scheme_version(session, data, note=f"from {scheme_file.name}", channel="cli").code
            run = run_evaluation(session, active_plan(session), year, code=scheme)
            stored = next(v for v in scheme_versions(session, scheme) if v.id == run.scheme_id)
            rows = result_rows(session, run) if output is not None else []
    except BadInput as exc:
        hint = "--year" if exc.field == "year" else "--scheme-file" if scheme_file is not None else "--scheme"
        raise typer.BadParameter("; ".join(_problem_lines(exc)), param_hint=hint) from None
    except NotFound as exc:
        if exc.kind == "plan":
            _fail("no plan is loaded: run `clusterwatch load-plan FILE` or `clusterwatch demo` first")
        raise typer.BadParameter(_said(exc.message), param_hint="--scheme") from None
    classes = ", ".join(f"{k} {run.counts.get('classes', {}).get(k, 0)}" for k in "ABCDU")
    typer.echo(f"evaluated {run.firms} firms of {year} with {stored.code} v{stored.version} in {run.seconds:.2f} s: {classes}; "
               f"without an approved return {run.counts['without_return']}, rated without land {run.counts['without_land']}")
    if output is not None:
        content, _ = table_file(export_columns(rows), rows, output.suffix[1:], synthetic=any(r["synthetic"] for r in rows))
        output.write_bytes(content)
        typer.echo(f"wrote {output} ({len(rows)} firms)")


user_app = typer.Typer(help="Users who sign in to review plans (and, later, to report and approve).", no_args_is_help=True)
app.add_typer(user_app, name="user")


def _password(from_stdin: bool) -> str:
    """The password from standard input or a prompt (never a command-line argument: shell history)."""
    import sys

    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    return typer.prompt("password", hide_input=True, confirmation_prompt=True)


def _write_account(db: str | None, change) -> None:
    """Run `change(session)` in one transaction; a mistake is a message naming the field."""
    from clusterwatch.errors import NotFound
    from clusterwatch.problems import BadInput

    engine = _migrated(_url(db))
    try:
        with transaction(session_factory(engine)) as session:
            change(session)
    except BadInput as exc:
        _refuse(exc)
    except NotFound as exc:
        _fail(_said(exc.message))


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="Sign-in name: lower-case letters, digits, _ . -")],
    role: Annotated[str, typer.Option(help="province_admin, department, reporter, approver, enterprise_reporter or viewer.")] = "viewer",
    name: Annotated[str | None, typer.Option(help="Name shown on pages.")] = None,
    region: Annotated[str | None, typer.Option(help="Region code a reporter or approver acts for.")] = None,
    department: Annotated[str | None, typer.Option(help="A department user's department.")] = None,
    enterprise: Annotated[str | None, typer.Option(help="An enterprise reporter's USCC.")] = None,
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")] = False,
    db: DbOption = None,
) -> None:
    """Add a user."""
    from clusterwatch.accounts.service import create_user

    password = _password(password_stdin)
    _write_account(db, lambda session: create_user(
        session, username=username, password=password, role=role, display_name=name, region_code=region,
        department=department, enterprise_uscc=enterprise))
    typer.echo(f"added {username} ({role})")


@user_app.command("password")
def user_password(
    username: Annotated[str, typer.Argument(help="The user whose password to set.")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from standard input.")] = False,
    db: DbOption = None,
) -> None:
    """Set a user's password (and sign them out everywhere)."""
    from clusterwatch.accounts.service import set_password

    password = _password(password_stdin)
    _write_account(db, lambda session: set_password(session, username=username, password=password))
    typer.echo(f"password set for {username}")


plan_app = typer.Typer(help="Read plans from policy documents and measure how well that works.", no_args_is_help=True)
app.add_typer(plan_app, name="plan")

SEEDS_DEFAULT = Path("..") / "shared" / "seeds"
ANSWERS_DEFAULT = Path("tests") / "plans" / "extraction" / "answers"


@plan_app.command("extract")
def plan_extract(
    documents: Annotated[list[Path], typer.Argument(help="Policy documents: .txt, .md, .docx, .pdf, .html (UTF-8 or GB18030).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON (the documented contract).")] = False,
    out: Annotated[Path | None, typer.Option("--out", help="Write an unreviewed draft plan file (YAML) mapped onto --base.")] = None,
    base: Annotated[Path | None, typer.Option(
        "--base", help="The plan file whose regions, clusters and indicators the draft uses (default: the embedded Guangdong plan).")] = None,
    review: Annotated[bool, typer.Option("--review", help="Store the result for review in the web application (/review).")] = False,
    db: DbOption = None,
) -> None:
    """Extract goals, baselines, layout tables, tasks and box lists, each cited to its line."""
    import json

    from clusterwatch.plans.extraction.extract import extract_files
    from clusterwatch.plans.extraction.reading import ReadError

    # The plan the facts are mapped onto also tells the extractor its cluster names. The
    # database and review modules are imported only when asked for: plain extraction stays quick.
    base_plan, engine = None, None
    if review:
        from clusterwatch.errors import NotFound
        from clusterwatch.plans.queries import active_plan
        from clusterwatch.plans.review.service import vocabulary_from_db

        engine = _migrated(_url(db))
        try:
            with session_factory(engine)() as session:
                base_plan = vocabulary_from_db(session, active_plan(session))
        except NotFound:
            _fail("no plan is loaded to map the facts onto: run `clusterwatch load-plan FILE` or `clusterwatch demo` first")
    if out is not None or review:
        from clusterwatch.plans.planfile import PlanFileError, embedded_plan_path, parse_plan_text, read_plan_file
        from clusterwatch.plans.review.service import draft_from_extraction, known_cluster_names, start_run
    if out is not None and (base is not None or base_plan is None):
        try:
            base_plan = read_plan_file(base or embedded_plan_path()).data
        except PlanFileError as exc:
            _refuse(exc)
    try:
        result = extract_files(documents, known_cluster_names(base_plan) if base_plan is not None else ())
    except ReadError as exc:
        _refuse(exc)
    if out is not None:
        assert base_plan is not None  # read from --base or the embedded plan above, if --review had not
        text, left_out = draft_from_extraction(result, base_plan)
        try:
            parse_plan_text(text.encode("utf-8"), source=out.name)
        except PlanFileError as exc:
            _refuse(exc, "the draft would not be a valid plan file, so it was not written:")
        out.write_text(text, encoding="utf-8")
        typer.echo(f"wrote a draft plan to {out}; {len(left_out)} items left out:", err=True)
        for reason in left_out:
            typer.echo(f"  {reason}", err=True)
    if review:
        assert engine is not None and base_plan is not None  # --review opened both above, or failed
        with transaction(session_factory(engine)) as session:
            run_id = start_run(session, result, base=base_plan).id
        typer.echo(f"stored for review as run {run_id}: open /review/{run_id}")
    if as_json:
        typer.echo(json.dumps(result, ensure_ascii=False, indent=1))
        return
    for doc in result["documents"]:
        typer.echo(f"{doc['file']}: {doc['title'] or '(no title found)'} {doc['issued'] or ''}")
    typer.echo(
        f"{len(result['targets'])} goals, {len(result['baselines'])} baselines, {len(result['layouts'])} layout cells, "
        f"{len(result['tasks'])} tasks, {len(result['lists'])} box lists, {len(result['conflicts'])} conflicts"
    )
    for note in result.get("notes", []):
        typer.echo(f"note: {note}")


@plan_app.command("eval")
def plan_eval(
    documents: Annotated[Path, typer.Option(help="Folder of the source documents.")] = SEEDS_DEFAULT,
    answers: Annotated[Path, typer.Option(help="Folder of the labelled answer set.")] = ANSWERS_DEFAULT,
    show: Annotated[bool, typer.Option("--show", help="List every goal missed and every goal found in excess.")] = False,
) -> None:
    """Recall and precision of goals and layout cells against the labelled answer set."""
    from clusterwatch.plans.extraction.evaluation import load_answers, score_goals, score_layout
    from clusterwatch.plans.extraction.extract import extract_files
    from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file

    if not answers.is_dir():
        _fail(f"no answer set at {answers} (run from the repository root, or give --answers)")
    expected = load_answers(answers)
    missing = [name for name in expected if not (documents / name).exists()]
    if missing:
        _fail(f"the documents {', '.join(missing)} are not in {documents} (give --documents)")
    result = extract_files([documents / name for name in expected])
    goals, missed, excess = score_goals(result["targets"], expected)
    layout = read_plan_file(embedded_plan_path()).data.layout
    cells = {(row.cluster, city, tier) for table in layout for row in table.rows for city, tier in row.cells.items()}
    cells_score = score_layout(result["layouts"], cells)
    baselines = score_goals(result["baselines"], expected, kind="baseline")[0]
    for label, score in (("goals", goals), ("layout", cells_score), ("baselines", baselines)):
        typer.echo(f"{label + ':':10} recall {score.recall:6.1%} ({score.matched}/{score.expected})  "
                   f"precision {score.precision:6.1%} ({score.matched}/{score.found})")
    if show:
        for key in missed:
            typer.echo(f"missed  {key}")
        for key in excess:
            typer.echo(f"excess  {key}")


if __name__ == "__main__":
    app()
