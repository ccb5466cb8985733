"""The bad-file corpus (tests/reporting/corpus): every file gives the message cases.yaml
says, names its cells, and writes nothing unless it is right."""

from __future__ import annotations

import pytest
import yaml
from sqlalchemy import func, select

from clusterwatch.db import transaction
from clusterwatch.errors import NotAllowed
from clusterwatch.plans.queries import active_plan
from clusterwatch.problems import BadInput
from clusterwatch.reporting.models import EnterpriseValues, Observation, ReturnRecord
from clusterwatch.reporting.returns import import_return, read_return
from tests.reporting.corpus.state import HERE, TODAY, USERS

CASES = yaml.safe_load((HERE / "cases.yaml").read_text(encoding="utf-8"))


def stored(db) -> tuple[int, int, int]:
    with db.sessions() as session:
        return tuple(session.scalar(select(func.count()).select_from(m)) for m in (EnterpriseValues, Observation, ReturnRecord))


def test_every_corpus_file_has_a_case():
    assert sorted(p.name for p in HERE.glob("*.xlsx")) == sorted(case["file"] for case in CASES)


@pytest.mark.parametrize("case", CASES, ids=[case["file"] for case in CASES])
def test_corpus_file(corpus_db, case):
    content = (HERE / case["file"]).read_bytes()
    user = USERS[case.get("user", "admin")]
    before = stored(corpus_db)
    with transaction(corpus_db.sessions) as session:
        plan = active_plan(session)
        if "refused" in case:
            with pytest.raises((BadInput, NotAllowed)) as refusal:
                read_return(session, plan, content=content, filename=case["file"], user=user, today=TODAY)
            assert case["refused"] in str(refusal.value)
            return
        result = read_return(session, plan, content=content, filename=case["file"], user=user, today=TODAY)
        errors = {e.cell: e.message for e in result.errors}
        if "errors" in case:
            assert set(errors) == set(case["errors"]), errors
        for cell, fragment in {**case.get("errors", {}), **case.get("errors_include", {})}.items():
            assert fragment in errors[cell], (cell, errors[cell])
        warnings = {w.cell: w.message for w in result.warnings}
        for cell, fragment in case.get("warnings", {}).items():
            assert fragment in warnings[cell], (cell, warnings.get(cell))
        if errors:
            with pytest.raises(BadInput, match="nothing was imported"):
                import_return(session, plan, result=result, user=user)
            assert stored(corpus_db) == before
            return
        assert result.created == case["imports"]
        import_return(session, plan, result=result, user=user)
        session.rollback()  # the corpus database stays as it was for the next file
