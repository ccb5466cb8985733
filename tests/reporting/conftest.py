"""Reporting fixtures."""

import pytest

from tests.conftest import build_demo


@pytest.fixture
def demo(database):
    """A fresh database with the Guangdong plan and the synthetic demo data."""
    build_demo(database)
    return database
