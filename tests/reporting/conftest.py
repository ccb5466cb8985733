"""Reporting fixtures."""

import pytest

from tests.conftest import build_demo


@pytest.fixture
def demo(database):
    """A fresh database with the Guangdong plan and the synthetic demo data."""
    build_demo(database)
    return database


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus_db(request, tmp_path_factory):
    """The state the bad-file corpus was made against (tests/reporting/corpus/state.py)."""
    from clusterwatch.db import transaction
    from clusterwatch.plans.loader import load_plan
    from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file
    from tests.conftest import Database
    from tests.reporting.corpus.state import load_firms

    db = Database(request.param, tmp_path_factory.mktemp(f"corpus-{request.param}"))
    with transaction(db.sessions) as session:
        load_plan(session, read_plan_file(embedded_plan_path()))
        load_firms(session)
    yield db
    db.drop()
