"""Evaluation runs from the platform's database: inputs in the scheme's units, stored results with
their breakdown and the change from last year, versioned schemes, and what a run cannot use."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select, update

from clusterwatch.db import transaction
from clusterwatch.demo.enterprises import generate_enterprise_demo
from clusterwatch.enterprises.evaluation.engine import evaluate
from clusterwatch.enterprises.evaluation.inputs import read_inputs
from clusterwatch.enterprises.evaluation.models import EvaluationResult, EvaluationRun, EvaluationScheme
from clusterwatch.enterprises.evaluation.reference import evaluate_rows
from clusterwatch.enterprises.evaluation.runs import current_scheme, latest_run, run_evaluation, save_scheme_version
from clusterwatch.enterprises.models import Enterprise, ListMembership
from clusterwatch.enterprises.queries import list_overview, profile, search
from clusterwatch.plans.loader import load_plan
from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file
from clusterwatch.problems import BadInput, Message
from clusterwatch.reporting.models import EnterpriseValues

FIRMS = 240


def build_firms(db) -> None:
    with transaction(db.sessions) as session:
        plan = load_plan(session, read_plan_file(embedded_plan_path()))
        generate_enterprise_demo(session, plan, count=FIRMS, seed=11)


@pytest.fixture
def firms_db(backend, tmp_path, templates):
    db = templates.copy(backend, tmp_path, "evaluation-firms", build_firms)
    yield db
    db.drop()


def _plan(session):
    from clusterwatch.plans.models import Plan

    return session.scalar(select(Plan))


def test_a_stored_run_agrees_with_the_reference_on_the_database_inputs(firms_db):
    with firms_db.sessions() as session:
        plan = _plan(session)
        _, scheme = current_scheme(session)
        run = latest_run(session, 2025)
        assert run is not None and run.firms == FIRMS
        now = read_inputs(session, plan, scheme, 2025).table.drop_columns(["region_code"])
        before = read_inputs(session, plan, scheme, 2024).table.drop_columns(["region_code"])
        expected = evaluate_rows(now.to_pylist(), scheme, before.to_pylist())  # by enterprise id
        stored = {r.enterprise_id: r for r in session.scalars(select(EvaluationResult).where(EvaluationResult.run_id == run.id))}
        assert set(stored) == set(expected)
        for firm_id, want in expected.items():
            got = stored[firm_id]
            assert got.klass == want["class"] and got.rank == want["rank"]
            assert (got.total is None) == (want["total"] is None)
            if want["total"] is not None:
                assert got.total == pytest.approx(want["total"], abs=1e-5)
            for code, (_x, _b, s, imputed) in got.breakdown.items():
                if want["class"] != "U":
                    assert imputed == want[code]["imputed"]
                    assert s == pytest.approx(want[code]["score"], abs=1e-5)
        # And the engine on the same inputs gives the same classes (what the run stored).
        engine = {r["enterprise_id"]: r["klass"] for r in evaluate(now, scheme, before).to_pylist()}
        assert engine == {k: v.klass for k, v in stored.items()}


def test_money_is_read_in_the_schemes_units(firms_db):
    """Returns hold 亿元; the scheme speaks of 万元: tax per mu is tax (万元) ÷ land (亩)."""
    with firms_db.sessions() as session:
        plan = _plan(session)
        run = latest_run(session, 2025)
        result = session.scalar(select(EvaluationResult).where(EvaluationResult.run_id == run.id, EvaluationResult.unrated.is_(False))
                                .order_by(EvaluationResult.enterprise_id).limit(1))
        firm = session.get(Enterprise, result.enterprise_id)
        values = session.scalar(select(EnterpriseValues.values).where(EnterpriseValues.enterprise_id == firm.id,
                                                                      EnterpriseValues.period == "2025"))
        if firm.land_mu:
            assert result.breakdown["tax_per_mu"][0] == pytest.approx(values["tax_paid"] * 1e4 / firm.land_mu, rel=1e-6)
        shown = profile(session, plan, firm.uscc)
        assert shown.figures[-1].values["revenue"] == pytest.approx(values["revenue"] * 1e4, rel=1e-4)  # shown in 万元
        assert [c.year for c in shown.classes] == [2025, 2024, 2023] and shown.breakdown_year == 2025
        assert len(shown.breakdown) == 6 and sum(b.weight for b in shown.breakdown) == 100


def test_change_from_last_year_and_a_rerun_replaces(firms_db):
    with transaction(firms_db.sessions) as session:
        plan = _plan(session)
        before = {r.enterprise_id: r.klass for r in session.scalars(
            select(EvaluationResult).where(EvaluationResult.run_id == latest_run(session, 2024).id))}
        now = list(session.scalars(select(EvaluationResult).where(EvaluationResult.run_id == latest_run(session, 2025).id)))
        assert all(r.previous_klass == before.get(r.enterprise_id) for r in now)
        assert any(r.previous_klass != r.klass for r in now)  # some firms moved
        again = run_evaluation(session, plan, 2025)
        # One run of 2025 under this version, holding one result per firm: replaced, not added.
        assert session.scalar(select(func.count()).select_from(EvaluationRun).where(EvaluationRun.year == 2025)) == 1
        assert session.scalar(select(func.count()).select_from(EvaluationResult)
                              .where(EvaluationResult.run_id == again.id)) == again.firms == len(now)


def test_firms_without_land_or_return_are_reported_not_dropped(firms_db):
    with transaction(firms_db.sessions) as session:
        plan = _plan(session)
        landless = session.scalar(select(Enterprise).where(Enterprise.exempt_reason.is_(None), Enterprise.founded < dt.date(2020, 1, 1))
                                  .order_by(Enterprise.id).limit(1))
        landless.land_mu = 0.0
        silent = session.scalar(select(Enterprise).where(Enterprise.id != landless.id).order_by(Enterprise.id.desc()).limit(1))
        session.execute(update(EnterpriseValues).where(EnterpriseValues.enterprise_id == silent.id, EnterpriseValues.period == "2025")
                        .values(approved=False))
        run = run_evaluation(session, plan, 2025)
        result = session.scalar(select(EvaluationResult).where(EvaluationResult.run_id == run.id,
                                                               EvaluationResult.enterprise_id == landless.id))
        assert result.klass in "ABCD" and result.breakdown["tax_per_mu"][0] is None
        assert result.breakdown["tax_per_mu"][3] is True and result.breakdown["va_per_mu"][3] is True
        assert run.counts["without_land"] >= 1 and run.counts["imputed"]["tax_per_mu"] >= 1
        assert run.counts["without_return"] == 1 and run.firms == FIRMS - 1
        assert session.scalar(select(EvaluationResult.id).where(EvaluationResult.run_id == run.id,
                                                                EvaluationResult.enterprise_id == silent.id)) is None


def test_exempt_and_young_firms_are_unrated(firms_db):
    with firms_db.sessions() as session:
        run = latest_run(session, 2025)
        exempt = session.scalars(select(Enterprise.id).where(Enterprise.exempt_reason.is_not(None))).all()
        assert exempt
        classes = dict(session.execute(select(EvaluationResult.enterprise_id, EvaluationResult.klass)
                                       .where(EvaluationResult.run_id == run.id, EvaluationResult.enterprise_id.in_(exempt))).all())
        assert set(classes.values()) == {"U"}


def _body(session) -> dict:
    return dict(current_scheme(session)[0].body)


@pytest.mark.parametrize(("change", "field", "words"), [
    (lambda b: b["indicators"][0].update(weight=20), "indicators", "the weights add up to 90, not 100"),
    (lambda b: b["classing"]["quotas"].update(D=0), "classing.quotas", "the quotas add up to 95%, not 100%"),
    (lambda b: b["classing"].update(kind="cutoffs", cutoffs={"A": 60, "B": 80, "C": 50}), "classing.cutoffs",
     "the cut-offs must fall from A to C"),
    (lambda b: b["indicators"][1].update(weight=-5), "indicators.1.weight", "greater than 0"),
    (lambda b: b["benchmark"].update(kind="median"), "benchmark.kind", "prior_pool_mean"),
])
def test_a_wrong_scheme_is_refused_by_field_and_nothing_is_stored(firms_db, change, field, words):
    with firms_db.sessions() as session:
        body = _body(session)
        change(body)
        with pytest.raises(BadInput) as caught:
            save_scheme_version(session, body)
        problems = {problem.field: problem.message for problem in caught.value.problems}
        assert field in problems and words in problems[field]
        assert all(isinstance(message, Message) for message in problems.values() if field in ("indicators", "classing.quotas"))
        session.rollback()
        assert session.scalar(select(func.count()).select_from(EvaluationScheme)) == 1


def test_a_new_version_is_used_by_the_next_run_and_the_old_results_keep_theirs(firms_db):
    with transaction(firms_db.sessions) as session:
        plan = _plan(session)
        first = latest_run(session, 2025)
        body = _body(session)
        body["classing"]["quotas"] = {"A": 10, "B": 40, "C": 40, "D": 10}
        stored = save_scheme_version(session, body, note="stricter A")
        assert stored.version == 2
        run = run_evaluation(session, plan, 2025)
        assert run.scheme_id == stored.id and latest_run(session, 2025).id == run.id
        share_a = session.scalar(select(func.count()).select_from(EvaluationResult)
                                 .where(EvaluationResult.run_id == run.id, EvaluationResult.klass == "A"))
        rated = run.rated
        assert share_a <= 0.11 * rated
        # The version-1 run of 2025 is still there, with its own results.
        assert session.get(EvaluationRun, first.id) is not None
        firm = session.scalar(select(Enterprise).order_by(Enterprise.id).limit(1))
        years = [c.year for c in profile(session, plan, firm.uscc).classes]
        assert years == sorted(set(years), reverse=True)  # one class per year: the newest version's


def test_search_and_lists(firms_db):
    with firms_db.sessions() as session:
        plan = _plan(session)
        everyone = search(session, plan, per_page=1000)
        assert everyone.total == FIRMS and everyone.synthetic
        a = search(session, plan, klass="A", per_page=1000)
        assert a.total > 0 and all(f.klass == "A" for f in a.firms)
        one = everyone.firms[0]
        assert [f.uscc for f in search(session, plan, q=one.uscc.lower()).firms] == [one.uscc]
        in_city = search(session, plan, city=one.city, per_page=1000)
        assert all(f.city == one.city for f in in_city.firms)
        overview = list_overview(session, plan, list_code="leading_pool", level="province")
        counted = next(entry.total for entry in overview.lists if entry.list_code == "leading_pool" and entry.level == "province")
        assert overview.member_total == counted == sum(next(e.by_city for e in overview.lists
                                                            if e.list_code == "leading_pool" and e.level == "province").values())
        # A membership that has ended is not counted as current, but stays in the firm's profile.
        ended = session.scalar(select(ListMembership).where(ListMembership.until.is_not(None)).limit(1))
        assert ended is not None  # the demo closes about one membership in ten
        firm = session.get(Enterprise, ended.enterprise_id)
        shown = [m for m in profile(session, plan, firm.uscc).memberships if m.since == ended.since and m.list_code == ended.list_code]
        assert shown and not shown[0].current


@pytest.mark.parametrize(("kwargs", "field"), [({"list_code": "bogus"}, "list"), ({"klass": "E"}, "class"),
                                               ({"cluster": "nope"}, "cluster"), ({"page": 0}, "page"), ({"q": "x" * 101}, "q")])
def test_bad_search_filters_are_named(firms_db, kwargs, field):
    with firms_db.sessions() as session:
        with pytest.raises(BadInput) as caught:
            search(session, _plan(session), **kwargs)
        assert caught.value.field == field


def test_long_lists_are_read_in_chunks_in_order(firms_db, monkeypatch):
    """An export of a province's firms reads them 5,000 at a time; the rows keep the order asked."""
    from clusterwatch.enterprises import queries

    with firms_db.sessions() as session:
        plan = _plan(session)
        whole = search(session, plan, per_page=1000).firms
        monkeypatch.setattr(queries, "CHUNK", 7)
        assert search(session, plan, per_page=1000).firms == whole and len(whole) == FIRMS


def test_pools_by_county_and_young_firms(firms_db):
    with transaction(firms_db.sessions) as session:
        plan = _plan(session)
        young = session.scalar(select(Enterprise).where(Enterprise.exempt_reason.is_(None)).order_by(Enterprise.id).limit(1))
        young.founded = dt.date(2025, 6, 1)  # less than a year old at the end of 2025
        body = _body(session)
        body["pools"] = ["size_class", "county"]
        save_scheme_version(session, body)
        run = run_evaluation(session, plan, 2025)
        results = list(session.scalars(select(EvaluationResult).where(EvaluationResult.run_id == run.id)))
        assert all(r.pool == f"{'above' if session.get(Enterprise, r.enterprise_id).above_scale else 'below'}·{r.region_code}"
                   for r in results)
        assert next(r for r in results if r.enterprise_id == young.id).klass == "U"
        # Ranks restart in every pool.
        firsts = [r for r in results if r.rank == 1]
        assert len(firsts) == len({r.pool for r in results if not r.unrated})
