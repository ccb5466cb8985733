"""A scheme changed through the web form: the fields a person edits, read into a new version.

The form shows the newest version; what comes back is read field by field (a weight that is
not a number is named by its field) and then checked as a whole by the scheme's own rules
(weights that do not add up to 100, quotas that do not add up to 100%). Nothing is stored
unless every check passes.
"""

from __future__ import annotations

from collections.abc import Mapping

from clusterwatch.accounts.permissions import can
from clusterwatch.errors import NotAllowed
from clusterwatch.numbers import parse_number
from clusterwatch.problems import Problems, msg

QUOTA_CLASSES = ("A", "B", "C", "D")
CUTOFF_CLASSES = ("A", "B", "C")


def may_edit(user) -> bool:
    return can(user, "scheme.edit")


def require_editor(user, action: str) -> None:
    if user is None:
        raise NotAllowed(action, msg("sign in first"))
    if not may_edit(user):
        raise NotAllowed(action, msg("only a province administrator may change the evaluation"))


def _number(form: Mapping[str, str], field: str, problems: Problems, default=None) -> float | None:
    raw = (form.get(field) or "").strip()
    if not raw:
        if default is None:
            problems.error(msg("a number is needed here"), field=field)
        return default
    value = parse_number(raw)
    if value is None:
        problems.error(msg("{raw} is not a number", raw=repr(raw)), field=field)
        return default
    return value


def scheme_from_form(current: dict, form: Mapping[str, str]) -> dict:
    """The current scheme with the form's weights, caps, benchmark, classing and rules.
    Raises BadInput (with .problems, one per field) when a field cannot be read."""
    problems = Problems()
    data = {key: value for key, value in current.items() if key != "version"}
    indicators = []
    for ind in current["indicators"]:
        code = ind["code"]
        weight = _number(form, f"weight_{code}", problems, ind["weight"])
        cap = _number(form, f"cap_{code}", problems, 0.0)
        indicators.append({**ind, "weight": weight, "cap": cap or None})
    data["indicators"] = indicators
    data["cap"] = _number(form, "cap", problems, current["cap"])
    kind = form.get("benchmark_kind") or current["benchmark"]["kind"]
    if kind not in ("constant", "pool_mean", "prior_pool_mean"):
        problems.error(msg("{value} is not a kind of benchmark", value=repr(kind)), field="benchmark_kind")
    data["benchmark"] = {**current["benchmark"], "kind": kind,
                         "k": _number(form, "benchmark_k", problems, current["benchmark"].get("k", 1.0))}
    # Constants are needed when the benchmark is one; otherwise those typed are kept for later.
    values = {}
    for ind in current["indicators"]:
        field = f"constant_{ind['code']}"
        if kind == "constant" or (form.get(field) or "").strip():
            values[ind["code"]] = _number(form, field, problems, current["benchmark"].get("values", {}).get(ind["code"]))
    data["benchmark"]["values"] = {code: value for code, value in values.items() if value is not None}
    classing = form.get("classing_kind") or current["classing"]["kind"]
    if classing == "quotas":
        data["classing"] = {"kind": "quotas", "quotas": {c: _number(form, f"quota_{c}", problems) for c in QUOTA_CLASSES},
                            "cutoffs": {}}
    elif classing == "cutoffs":
        data["classing"] = {"kind": "cutoffs", "quotas": {}, "cutoffs": {c: _number(form, f"cutoff_{c}", problems)
                                                                         for c in CUTOFF_CLASSES}}
    else:
        problems.error(msg("{value} is neither quotas nor cutoffs", value=repr(classing)), field="classing_kind")
    missing = form.get("missing") or current["missing"]
    if missing not in ("pool_average", "zero"):
        problems.error(msg("{value} is neither pool_average nor zero", value=repr(missing)), field="missing")
    data["missing"] = missing
    data["unrated"] = {"younger_than_years": _number(form, "younger_than_years", problems,
                                                     current["unrated"]["younger_than_years"])}
    pools = [p for p in ("size_class", "county", "cluster") if form.get(f"pool_{p}")]
    data["pools"] = pools or current["pools"]
    problems.raise_errors()
    return data


# Where a problem found by the scheme's own rules is shown on the form.
FORM_FIELD = {"indicators": "weights", "classing.quotas": "quotas", "classing.cutoffs": "cutoffs",
              "benchmark.values": "benchmark", "benchmark.k": "benchmark_k", "cap": "cap",
              "unrated.younger_than_years": "younger_than_years"}


def form_field(field: str) -> str:
    if field in FORM_FIELD:
        return FORM_FIELD[field]
    parts = field.split(".")
    if parts[0] == "indicators" and len(parts) >= 3 and parts[1].isdigit():
        return "weights"
    if parts[0] == "classing":
        return "quotas" if "quotas" in field else "cutoffs"
    return field
