"""The package's import direction, and no import cycle among its modules.

Layers, lowest first; a module imports only from its own layer or those below, and the
capabilities of one layer do not import each other:

    settings, problems, words, errors, tables, tabular, numbers, uscc, free_text   (no clusterwatch imports but each other)
    db, models, every capability's tables (models.py, *_models.py), migrations
    audit                                       (every capability records what people change)
    regions
    accounts                                    (users act for regions)
    plans
    reporting
    enterprises | assessment
    demo
    web
    cli                                         (serves the web app)

Tables sit low because a table refers to another capability's by foreign key, and that is a
fact of the schema, not a dependency of the logic. The import graph is read by grimp from the
source, so an import inside a function counts as much as one at the top.
"""

from __future__ import annotations

import grimp
import pytest

FOUNDATION = {"clusterwatch.settings", "clusterwatch.problems", "clusterwatch.words", "clusterwatch.errors", "clusterwatch.tables",
              "clusterwatch.tabular", "clusterwatch.numbers", "clusterwatch.uscc", "clusterwatch.free_text"}
LAYERS = [
    ["foundation"],
    ["storage"],
    ["audit"],
    ["regions"],
    ["accounts"],
    ["plans"],
    ["reporting"],
    ["enterprises", "assessment"],
    ["demo"],
    ["web"],
    ["cli"],
]
RANK = {group: rank for rank, groups in enumerate(LAYERS) for group in groups}


def group_of(module: str) -> str:
    """The layer group of a module: a capability's package, or foundation/storage."""
    parts = module.split(".")
    if module in FOUNDATION:
        return "foundation"
    if module in ("clusterwatch.db", "clusterwatch.models") or parts[1:2] == ["migrations"]:
        return "storage"
    if parts[-1] == "models" or parts[-1].endswith("_models"):
        return "storage"
    if module == "clusterwatch":
        return "web"
    return parts[1]


@pytest.fixture(scope="module")
def graph():
    return grimp.build_graph("clusterwatch")


def test_every_module_has_a_layer(graph):
    assert {group_of(m) for m in graph.modules} <= set(RANK), sorted({group_of(m) for m in graph.modules} - set(RANK))


def test_imports_go_down_the_layers(graph):
    wrong = []
    for module in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(module)):
            mine, theirs = group_of(module), group_of(imported)
            if mine != theirs and RANK[theirs] >= RANK[mine]:
                wrong.append(f"{module} ({mine}) imports {imported} ({theirs})")
    assert not wrong, "\n".join(wrong)


def test_no_import_cycle(graph):
    cycles = []
    for module in sorted(graph.modules):
        for imported in graph.find_modules_directly_imported_by(module):
            if imported != module and graph.chain_exists(importer=imported, imported=module):
                cycles.append(" → ".join(graph.find_shortest_chain(importer=imported, imported=module)) + f" → {imported}")
    assert not cycles, "\n".join(cycles)
