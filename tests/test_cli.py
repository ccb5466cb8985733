"""The command line, on a real SQLite file: good and bad plan files, demo set-up, serve checks."""

from __future__ import annotations

import json
import re
import sqlite3

import pytest
import yaml
from typer.testing import CliRunner

from clusterwatch.cli import app, build_demo_database
from clusterwatch.enterprises.evaluation.scheme import SCHEMES
from clusterwatch.plans.planfile import embedded_plan_path
from clusterwatch.settings import get_settings

runner = CliRunner()


@pytest.fixture(autouse=True)
def english(monkeypatch):
    """The command line says problems in the settings' default language (zh unless set): these
    tests read them in English."""
    monkeypatch.setenv("CLUSTERWATCH_DEFAULT_LANGUAGE", "en")
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture
def chinese(monkeypatch):
    monkeypatch.setenv("CLUSTERWATCH_DEFAULT_LANGUAGE", "zh")
    get_settings.cache_clear()


def counts(path) -> tuple[int, int, int]:
    with sqlite3.connect(path) as con:
        return tuple(con.execute(f"select count(*) from {t}").fetchone()[0] for t in ("plans", "targets", "observations"))


def test_help_explains_each_command():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ["demo", "serve", "init-db", "load-plan", "generate-demo"]:
        assert command in result.output
    result = runner.invoke(app, ["demo", "--help"])
    assert "--host" in result.output and "--port" in result.output and "--db" in result.output


def test_init_load_generate(tmp_path):
    db = tmp_path / "cw.db"
    assert runner.invoke(app, ["init-db", "--db", str(db)]).exit_code == 0
    result = runner.invoke(app, ["load-plan", str(embedded_plan_path()), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "28 clusters, 287 layout placements, 39 targets" in result.output
    result = runner.invoke(app, ["generate-demo", "--db", str(db)])
    assert result.exit_code == 0 and "synthetic observations" in result.output
    assert counts(db) == (1, 39, 30000)


def test_bad_plan_file_names_the_place_and_writes_nothing(tmp_path):
    db = tmp_path / "cw.db"
    runner.invoke(app, ["load-plan", str(embedded_plan_path()), "--db", str(db)])
    before = counts(db)
    data = yaml.safe_load(embedded_plan_path().read_text(encoding="utf-8"))
    data["targets"][14]["unit"] = "%"
    data["targets"][15]["scope"]["cluster"] = "flying-cars"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["load-plan", str(bad), "--db", str(db)])
    assert result.exit_code == 1
    assert "bad.yaml" in result.output and "2 problem(s)" in result.output
    assert "targets[14].unit: unit % does not fit indicator revenue" in result.output
    assert "targets[15].scope.cluster: unknown cluster 'flying-cars'" in result.output
    assert counts(db) == before


def test_problems_are_said_in_the_default_language(tmp_path, chinese):
    data = yaml.safe_load(embedded_plan_path().read_text(encoding="utf-8"))
    data["targets"][14]["unit"] = "%"
    bad = tmp_path / "bad.yaml"
    bad.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(app, ["load-plan", str(bad), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "bad.yaml" in result.output
    # The place in Chinese: the line and the field, then the message after a full-width colon.
    assert re.search(r"第 \d+ 行 targets\[14\]\.unit：", result.output), result.output
    assert not (tmp_path / "x.db").exists()


def test_missing_plan_file(tmp_path):
    result = runner.invoke(app, ["load-plan", str(tmp_path / "nope.yaml"), "--db", str(tmp_path / "x.db")])
    assert result.exit_code == 1 and "nope.yaml" in result.output and "cannot read" in result.output
    assert not (tmp_path / "x.db").exists()


def test_generate_demo_without_a_plan(tmp_path):
    result = runner.invoke(app, ["generate-demo", "--db", str(tmp_path / "e.db")])
    assert result.exit_code == 1 and "no plan is loaded" in result.output


def test_bad_database_url():
    result = runner.invoke(app, ["init-db", "--db", "mysql://x/y"])
    assert result.exit_code != 0 and "unsupported database URL scheme" in result.output


def test_serve_refuses_an_empty_database(tmp_path):
    result = runner.invoke(app, ["serve", "--db", str(tmp_path / "empty.db")])
    assert result.exit_code == 1 and "no clusterwatch schema" in result.output


def test_demo_database_is_built_once(tmp_path):
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    password = build_demo_database(url)
    assert password and len(password) >= 10  # the demo's administrator, shown once
    assert build_demo_database(url) is None
    assert counts(tmp_path / "demo.db") == (1, 39, 30000)


def test_unreachable_database_is_a_message_not_a_trace():
    result = runner.invoke(app, ["init-db", "--db", "postgresql://nobody@127.0.0.1:1/none"])
    assert result.exit_code == 1
    assert "cannot use the database postgresql+psycopg://nobody@127.0.0.1:1/none" in result.output
    assert "Traceback" not in result.output


def test_empty_binary_and_directory_plan_files(tmp_path):
    empty = tmp_path / "empty.yaml"
    empty.write_bytes(b"")
    binary = tmp_path / "binary.yaml"
    binary.write_bytes(bytes(range(256)))
    for path, message in [(empty, "must hold a mapping"), (binary, "not UTF-8"), (tmp_path, "cannot read the file")]:
        result = runner.invoke(app, ["load-plan", str(path), "--db", str(tmp_path / "x.db")])
        assert result.exit_code == 1 and message in result.output, (path, result.output)
    assert not (tmp_path / "x.db").exists()


def test_extract_for_review(tmp_path, full_demo):
    doc = tmp_path / "robots.txt"
    doc.write_text("到2025年，智能机器人产业营业收入达到900亿元。", encoding="utf-8")
    db = tmp_path / "r.db"
    result = runner.invoke(app, ["plan", "extract", str(doc), "--review", "--db", str(db)])
    assert result.exit_code == 1 and "no plan is loaded" in result.output
    db = full_demo
    result = runner.invoke(app, ["plan", "extract", str(doc), "--review", "--db", str(db)])
    assert result.exit_code == 0 and "stored for review as run 1: open /review/1" in result.output
    with sqlite3.connect(db) as con:
        suggestion = con.execute("select suggestion from extracted_items where kind = 'target'").fetchone()[0]
    assert json.loads(suggestion)["scope"]["cluster"] == "robotics"


def test_users_from_the_command_line(tmp_path, full_demo):
    db = str(full_demo)
    ok = runner.invoke(app, ["user", "add", "gz-reporter", "--role", "reporter", "--region", "440100", "--password-stdin",
                             "--db", db], input="a-long-password\n")
    assert ok.exit_code == 0 and "added gz-reporter (reporter)" in ok.output
    for args, message in [
        (["user", "add", "short", "--role", "viewer"], "password: at least 10 characters"),
        (["user", "add", "x1", "--role", "king"], "role: one of province_admin"),
        (["user", "add", "x2", "--role", "reporter"], "region: a reporter or approver acts for a region"),
        (["user", "add", "x3", "--role", "reporter", "--region", "999999"], "region: no region '999999'"),
        (["user", "add", "x4", "--role", "enterprise_reporter", "--enterprise", "91440300708461136X"], "should be 'T'"),
        (["user", "add", "gz-reporter", "--role", "viewer"], "username: 'gz-reporter' is taken"),
        (["user", "add", "Bad Name", "--role", "viewer"], "username: 2-60 characters"),
    ]:
        password = "tiny\n" if "short" in args else "another-long-password\n"
        result = runner.invoke(app, [*args, "--password-stdin", "--db", db], input=password)
        assert result.exit_code == 1 and message in result.output, (args, result.output)
    assert runner.invoke(app, ["user", "password", "admin", "--password-stdin", "--db", db],
                         input="a-new-long-password\n").exit_code == 0
    missing = runner.invoke(app, ["user", "password", "nobody", "--password-stdin", "--db", db], input="a-new-long-password\n")
    assert missing.exit_code == 1 and "no user 'nobody'" in missing.output


def test_report_from_the_command_line(tmp_path, full_demo):
    db = full_demo
    out = tmp_path / "electronics.pdf"
    result = runner.invoke(app, ["report", "--scope", "cluster:electronics", "--period", "2025-Q3", "--format", "pdf",
                                 "--output", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert out.read_bytes()[:5] == b"%PDF-" and "goals: 1, synthetic data" in result.output
    result = runner.invoke(app, ["report", "--period", "2024", "--format", "xlsx", "--output", str(tmp_path / "p.xlsx"),
                                 "--db", str(db)])
    assert result.exit_code == 0 and (tmp_path / "p.xlsx").stat().st_size > 0


def test_report_bad_options_are_named(tmp_path, full_demo):
    db = full_demo
    for args, where in ((["--period", "2025-Q5"], "--period"), (["--period", "2025", "--scope", "cluster:nope"], "--scope"),
                        (["--period", "2025", "--format", "docx"], "--format")):
        result = runner.invoke(app, ["report", *args, "--db", str(db)])
        assert result.exit_code == 2 and where in result.output, result.output
    assert not list(tmp_path.glob("clusterwatch-*"))


def test_evaluate_from_the_command_line(tmp_path, full_demo):
    db = full_demo
    out = tmp_path / "results.csv"
    result = runner.invoke(app, ["evaluate", "--year", "2025", "--output", str(out), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "evaluated 3000 firms of 2025 with per-mu-default v1" in result.output
    # The classes printed are the quotas of the rated firms (A 20%, D 5%), and add up to the firms.
    classes = {k: int(n) for k, n in re.findall(r"\b([ABCDU]) (\d+)", result.output.split(":", 1)[1])}
    rated = 3000 - classes["U"]
    assert sum(classes.values()) == 3000 and abs(classes["A"] - 0.2 * rated) <= 2 and abs(classes["D"] - 0.05 * rated) <= 3
    lines = out.read_text(encoding="utf-8-sig").splitlines()
    assert "合成数据" in lines[0] and lines[1].startswith("统一社会信用代码") and len(lines) == 3002
    # A scheme file stored as the next version, then used.
    scheme = tmp_path / "strict.yaml"
    text = (SCHEMES / "per-mu-default.yaml").read_text(encoding="utf-8")
    scheme.write_text(text.replace("{A: 20, B: 40, C: 35, D: 5}", "{A: 10, B: 40, C: 40, D: 10}"), encoding="utf-8")
    result = runner.invoke(app, ["evaluate", "--year", "2024", "--scheme-file", str(scheme), "--db", str(db)])
    assert result.exit_code == 0 and "per-mu-default v2" in result.output, result.output


def test_evaluate_bad_options_are_named(tmp_path, full_demo):
    db = full_demo
    wrong = tmp_path / "wrong.yaml"
    text = (SCHEMES / "per-mu-default.yaml").read_text(encoding="utf-8")
    wrong.write_text(text.replace("weight: 30}", "weight: 25}"), encoding="utf-8")
    for args, where, words in ((["--year", "2031"], "--year", "no approved annual returns"),
                               (["--year", "2025", "--scheme-file", str(wrong)], "--scheme-file", "the weights add up to 95"),
                               (["--year", "2025", "--scheme", "nope"], "--scheme", "nope"),
                               (["--year", "2025", "--output", "r.docx"], "--output", ".xlsx")):
        result = runner.invoke(app, ["evaluate", *args, "--db", str(db)])
        assert result.exit_code == 2 and where in result.output and words in result.output, result.output
