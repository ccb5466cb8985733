"""Reporting fixtures."""

import pytest


def build_corpus_state(db) -> None:
    """The state the bad-file corpus was made against (tests/reporting/corpus/state.py)."""
    from clusterwatch.db import transaction
    from clusterwatch.plans.loader import load_plan
    from clusterwatch.plans.planfile import embedded_plan_path, read_plan_file
    from tests.reporting.corpus.state import load_firms

    with transaction(db.sessions) as session:
        load_plan(session, read_plan_file(embedded_plan_path()))
        load_firms(session)


@pytest.fixture
def firms_db(backend, tmp_path, templates):
    """A fresh copy of the corpus state: the Guangdong plan and the corpus's firms."""
    db = templates.copy(backend, tmp_path, "corpus-firms", build_corpus_state)
    yield db
    db.drop()


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def corpus_db(request, tmp_path_factory, templates):
    """The corpus state, shared by the tests of a module."""
    db = templates.copy(request.param, tmp_path_factory.mktemp(f"corpus-{request.param}"), "corpus-firms",
                        build_corpus_state)
    yield db
    db.drop()
