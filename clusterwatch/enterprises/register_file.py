"""The enterprise register as a file: import (.xlsx or CSV, with a dry run) and export.

A register file has a row per firm, keyed by its unified social credit code: its name,
county, size, land, founding date, industry class, clusters (the first is its main cluster,
with its segment of the chain) and why it is not rated, if it is not. A second kind of file
holds the firms' places on lists and tiers (ListMembership), a row per listing.

Reading checks every row and works out what importing would do (a dry run that writes
nothing); every problem names its row and column, as the imports of returns do. Importing
writes everything in the caller's transaction, or nothing when any row has a problem. The
register is read once and written with bulk statements, so a province's 60,000 firms take
seconds. An export has the columns the import reads: it imports back as all unchanged.

Columns have Chinese headers (English ones are accepted too). A column left out of the
file leaves the stored field as it is; an empty cell clears an optional field. The county
and the size of a firm already registered are kept when their cells are empty.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Row, bindparam, delete, insert, select, update
from sqlalchemy.orm import Session

from clusterwatch import free_text, tabular
from clusterwatch import uscc as uscc_codes
from clusterwatch.audit.trail import differences, record_many
from clusterwatch.db import bulk_insert
from clusterwatch.enterprises.models import LEVELS, LISTS, Enterprise, EnterpriseCluster, ListMembership
from clusterwatch.enterprises.register import formula_text, founded_problem, land_problem, name_empty, not_county
from clusterwatch.numbers import parse_number
from clusterwatch.plans.models import Cluster, Plan
from clusterwatch.problems import BadInput, DryRun, Message, Problems, msg
from clusterwatch.regions.models import Region
from clusterwatch.reporting.checking import not_a_number
from clusterwatch.tabular import Table

MAX_UPLOAD = 32 * 1024 * 1024  # 60,000 firms are about 5 MB as .xlsx, 8 MB as CSV
MAX_UNPACKED = 256 * 1024 * 1024
MAX_ROWS = 200_000
SHOWN_PROBLEMS = 1000  # a broken file of 60,000 firms could list every row; the counts are exact
CHUNK = 5000  # rows per bulk statement, and ids per IN list

# key → Chinese header; the English header is the key itself.
REGISTER_COLUMNS = {
    "uscc": "统一社会信用代码", "name": "企业名称", "county": "所在县区", "above_scale": "规模以上",
    "land_mu": "用地面积（亩）", "founded": "成立日期", "industry_code": "行业代码", "clusters": "所属集群",
    "segment": "产业链环节", "exempt_reason": "不参评原因",
}
REGISTER_REQUIRED = ("uscc", "name")
SYNTHETIC_COLUMN = ("synthetic", "示例数据")  # in exports of .xlsx; ignored on import
MEMBERSHIP_COLUMNS = {
    "uscc": "统一社会信用代码", "list": "名单", "level": "级别", "cluster": "所属集群", "since": "认定日期",
    "until": "退出日期", "source": "文件",
}
MEMBERSHIP_REQUIRED = ("uscc", "list", "level", "since")
NAME_COLUMN = ("name", "企业名称")  # in exports of memberships, for people to read; ignored on import

YES = {"是", "yes", "y", "true", "1", "√"}
NO = {"否", "no", "n", "false", "0", "×"}
LIMITS = {"name": 200, "exempt_reason": 200, "segment": 100, "source": 200}
_DATE = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00)?)?$")
_SEPARATOR = re.compile(r"[;；]")


# ---------------------------------------------------------------------------------------------
# The plan of an import (the dry run's answer)


@dataclass
class RegisterPlan(DryRun):
    """What importing a file would do: counts, every problem (the first SHOWN_PROBLEMS described),
    and the records to write."""

    kind: str  # "register" or "memberships"
    filename: str
    rows: int = 0
    # Each problem at its row and column, with the cell's value as written (Problem.extra["value"]).
    problems: Problems = field(default_factory=lambda: Problems(shown=SHOWN_PROBLEMS), kw_only=True)
    creates: list[dict] = field(default_factory=list, repr=False)
    updates: list[dict] = field(default_factory=list, repr=False)
    # Register: each new or changed firm's clusters in order, as (cluster id, segment); by USCC.
    links: dict[str, list[tuple[int, str | None]]] = field(default_factory=dict, repr=False)
    # For the audit trail: (subject, key, label, action, old, new) of each row that writes,
    # with only the fields that change, as people read them (county and cluster names).
    audit: list[tuple[str, str, str, str, dict | None, dict]] = field(default_factory=list, repr=False)

    def error(self, row: int, column: str, value, reason: Message) -> None:
        self.problems.error(reason, **_place(row, column, value))

    def warn(self, row: int, column: str, value, reason: Message) -> None:
        self.problems.warn(reason, **_place(row, column, value))

    def summary(self) -> dict:
        return {"kind": self.kind, "file": self.filename, "rows": self.rows, **super().summary()}


def _place(row: int, column: str, value) -> dict:
    """A problem's place: {row, column, cell, value} (as_dict gives them in this order, then the reason)."""
    return {"row": row, "column": column, "cell": msg("row {n}, {column}", n=row, column=column), "value": value}


def read_table(content: bytes, filename: str) -> Table:
    return tabular.read_table(content, filename, max_bytes=MAX_UPLOAD, max_unpacked=MAX_UNPACKED, max_rows=MAX_ROWS)


def _normal(header: str) -> str:
    return re.sub(r"\s+", "", header).lower().replace("(", "（").replace(")", "）")


def _columns(table: Table, columns: dict[str, str], required: tuple[str, ...], ignored: tuple[tuple[str, str], ...]) -> dict:
    """Each known column's index and the header it was written with: {key: (index, header)}."""
    names = {**{_normal(zh): key for key, zh in columns.items()}, **{key: key for key in columns}}
    quiet = {_normal(name) for pair in ignored for name in pair}
    found: dict[str, tuple[int, str]] = {}
    unknown = []
    for index, written in enumerate(table.header):
        key = names.get(_normal(written))
        if key is None:
            if _normal(written) in quiet:
                continue
            if written or any(cells[index] for _, cells in table.rows):
                unknown.append(written)
            continue
        if key in found:
            raise BadInput("file", msg("{file}: two columns are headed {name}", file=table.filename, name=written))
        found[key] = (index, written)
    listed = ", ".join(f"{zh}/{key}" for key, zh in columns.items())
    missing = [f"{columns[key]}/{key}" for key in required if key not in found]
    if missing:
        raise BadInput("file", msg("{file}: the header lacks {names} (columns: {columns})", file=table.filename,
                                   names=", ".join(missing), columns=listed))
    if unknown:
        raise BadInput("file", msg("{file}: {names} is not a column (columns: {columns})", file=table.filename,
                                   names=", ".join(repr(h) for h in unknown), columns=listed))
    return found


# ---------------------------------------------------------------------------------------------
# Values of cells


def _header(found: dict, columns: dict[str, str]) -> Callable[[str], str]:
    """A column's header as the file writes it, or as the platform names it when absent."""
    return lambda key: found[key][1] if key in found else columns[key]


def _rows(result: RegisterPlan, table: Table, found: dict, columns: dict):
    """Each row of the file: its number, its cell under a column (None when the file lacks the
    column), a problem (or a warning) recorded at a cell, the errors counted before it (so that a caller sees
    whether the row added any) and its firm's code, a missing one already reported."""
    header = _header(found, columns)
    for row, cells in table.rows:
        def cell(key: str, cells=cells) -> str | None:
            return cells[found[key][0]] if key in found else None

        def bad(key: str, reason: Message, row=row, cell=cell, warning: bool = False) -> None:
            (result.warn if warning else result.error)(row, header(key), cell(key), reason)

        before = result.error_count
        code = cell("uscc")
        if not code:
            bad("uscc", msg("no unified social credit code: every row is one firm"))
        yield row, cell, bad, before, code


def _date(text: str) -> dt.date | None:
    """A date written YYYY-MM-DD (or as Excel's date cell, read as 'YYYY-MM-DD 00:00:00'); None if it is not one."""
    match = _DATE.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups()))
    except ValueError:
        return None


def _date_problem(text: str) -> Message:
    return msg("{value} is not a date: write YYYY-MM-DD (e.g. 2015-03-01)", value=repr(text))


def _too_long(key: str) -> Message:
    return msg("longer than {n} characters", n=LIMITS[key])


def _industry_ok(text: str) -> bool:
    return len(text) == 4 and text.isdigit() and 1 <= int(text[:2]) <= 97


@dataclass
class _Clusters:
    by_key: dict[str, Cluster]
    names: dict[int, str]  # id → what an export writes: the Chinese name, or the slug where names repeat

    @classmethod
    def of(cls, session: Session, plan: Plan) -> _Clusters:
        clusters = list(session.scalars(select(Cluster).where(Cluster.plan_id == plan.id).order_by(Cluster.sort_order)))
        counts: dict[str, int] = {}
        for c in clusters:
            counts[c.name_zh] = counts.get(c.name_zh, 0) + 1
        by_key = {c.slug: c for c in clusters}
        for c in clusters:
            if counts[c.name_zh] == 1:
                by_key.setdefault(c.name_zh, c)
        return cls(by_key, {c.id: c.name_zh if counts[c.name_zh] == 1 else c.slug for c in clusters})

    def find(self, text: str) -> Cluster | None:
        return self.by_key.get(text) or self.by_key.get(text.lower())

    @staticmethod
    def unknown(text: str) -> Message:
        return msg("{value} is not a cluster of the plan: write its code (e.g. electronics) or its Chinese name", value=repr(text))


class _Counties:
    """County-level regions by code, by exact name and by city and name (广州市天河区)."""

    def __init__(self, session: Session):
        regions = session.execute(select(Region.code, Region.name_zh, Region.level, Region.parent_code)).all()
        self.level = {r.code: r.level for r in regions}
        names = {r.code: r.name_zh for r in regions}
        self.by_name: dict[str, list[str]] = {}
        for r in regions:
            if r.level == "county":
                self.by_name.setdefault(r.name_zh, []).append(r.code)
                if r.parent_code in names:
                    self.by_name.setdefault(names[r.parent_code] + r.name_zh, []).append(r.code)
        self.names = names

    def resolve(self, text: str) -> tuple[str | None, Message | None]:
        """(region code, None) or (None, why not)."""
        if text.isdigit():
            level = self.level.get(text)
            if level == "county":
                return text, None
            if level is not None:
                return None, not_county(text)
            return None, _no_county(text)
        codes = self.by_name.get(text, [])
        if len(codes) == 1:
            return codes[0], None
        if codes:
            candidates = "、".join(f"{code} {self.names[code]}" for code in sorted(codes))
            return None, msg("{value} is the name of {n} counties ({candidates}): write the code", value=repr(text),
                             n=len(codes), candidates=candidates)
        return None, _no_county(text)


def _no_county(text: str) -> Message:
    return msg("{value} is not a county-level region code or name: write its code (e.g. 440106) or its exact name",
               value=repr(text))


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


# ---------------------------------------------------------------------------------------------
# The register


FIRM_FIELDS = ("name_zh", "region_code", "above_scale", "land_mu", "founded", "industry_code", "exempt_reason")


def read_register(session: Session, plan: Plan, content: bytes, filename: str) -> RegisterPlan:
    """Check a register file completely and work out what importing it would do. Writes nothing."""
    table = read_table(content, filename)
    found = _columns(table, REGISTER_COLUMNS, REGISTER_REQUIRED, (SYNTHETIC_COLUMN,))
    result = RegisterPlan(kind="register", filename=filename, rows=len(table.rows))
    counties = _Counties(session)
    clusters = _Clusters.of(session, plan)
    stored = {r.uscc: r for r in session.execute(select(Enterprise.id, Enterprise.uscc, *[getattr(Enterprise, f) for f in FIRM_FIELDS]))}
    stored_links = _stored_links(session, plan)
    first_row: dict[str, int] = {}
    today = _now().date()

    # Every cell of a row is checked, even when its code is wrong: one pass shows every problem.
    for row, cell, bad, before, code in _rows(result, table, found, REGISTER_COLUMNS):
        if not code:
            pass  # reported by _rows
        elif code in first_row:
            bad("uscc", msg("{code} is also in row {row}: one row per firm", code=code, row=first_row[code]))
        else:
            first_row[code] = row
            problem = uscc_codes.problem(code)
            if problem is not None:
                bad("uscc", problem.message)
        old = stored.get(code) if result.error_count == before else None
        record: dict = {f: getattr(old, f) for f in FIRM_FIELDS} if old is not None else {
            "name_zh": None, "region_code": None, "above_scale": True, "land_mu": None, "founded": None,
            "industry_code": None, "exempt_reason": None}

        name = cell("name")
        if not name:
            bad("name", name_empty())
        elif len(name) > LIMITS["name"]:
            bad("name", _too_long("name"))
        elif (formula := formula_text(name)) is not None:
            bad("name", formula)
        else:
            record["name_zh"] = name

        county = cell("county")
        if county:
            region_code, why = counties.resolve(county)
            if why:
                bad("county", why)
            record["region_code"] = region_code
        elif old is None:
            bad("county", msg("the {field} is missing", field=msg("county")))

        size = cell("above_scale")
        if size:
            if size.lower() in YES:
                record["above_scale"] = True
            elif size.lower() in NO:
                record["above_scale"] = False
            else:
                bad("above_scale", msg("{value} is not yes or no: write 是 or 否", value=repr(size)))

        land, land_ok = cell("land_mu"), True
        if land is not None:
            number = parse_number(land) if land else None
            land_ok = False
            if land and number is None:
                bad("land_mu", not_a_number(land, "亩"))
            elif number is not None and (wrong_land := land_problem(number)) is not None:
                bad("land_mu", wrong_land)
            else:
                record["land_mu"], land_ok = number, True

        founded = cell("founded")
        if founded is not None:
            record["founded"] = _date(founded) if founded else None
            if founded and record["founded"] is None:
                bad("founded", _date_problem(founded))
            elif record["founded"] is not None and (wrong_date := founded_problem(record["founded"], today)) is not None:
                bad("founded", wrong_date)
                record["founded"] = None

        industry = cell("industry_code")
        if industry is not None:
            if industry and not _industry_ok(industry):
                bad("industry_code", msg("{value} is not a GB/T 4754 industry class: write its four digits (e.g. 3976)",
                                         value=repr(industry)))
            record["industry_code"] = industry or None

        exempt = cell("exempt_reason")
        if exempt is not None:
            if len(exempt) > LIMITS["exempt_reason"]:
                bad("exempt_reason", _too_long("exempt_reason"))
            elif (formula := formula_text(exempt)) is not None:
                bad("exempt_reason", formula)
            record["exempt_reason"] = exempt or None

        old_links = stored_links.get(old.id, []) if old is not None else []
        links = _links(cell("clusters"), cell("segment"), old_links, clusters, bad)

        if land_ok and (record["land_mu"] is None or record["land_mu"] == 0):
            reason = (msg("the land area is empty: no per-mu indicator can be computed for this firm") if record["land_mu"] is None
                      else msg("the land area is 0 亩: no per-mu indicator can be computed for this firm"))
            bad("land_mu", reason, warning=True)
        if result.error_count > before:
            continue
        assert code is not None  # a row without a code has an error: the continue above skipped it
        if old is None:
            result.created += 1
            result.creates.append({"uscc": code, **record})
            result.links[code] = links or []
            result.audit.append(("enterprise", code, record["name_zh"] or "", "create",
                                 *differences(None, _seen(record, links or [], counties, clusters))))
        else:
            changed_links = links is not None and links != old_links
            if changed_links or any(_differs(record[f], getattr(old, f)) for f in FIRM_FIELDS):
                result.updated += 1
                result.updates.append({"id": old.id, **record})
                if changed_links:
                    assert links is not None  # changed_links is False when links is None
                    result.links[code] = links
                before, after = differences(_seen(old._asdict(), old_links, counties, clusters),
                                            _seen(record, links if links is not None else old_links, counties, clusters))
                result.audit.append(("enterprise", code, record["name_zh"] or "", "update", before, after))
            else:
                result.unchanged += 1
    return result


def _seen(record, links: list[tuple[int, str | None]], counties: _Counties, clusters: _Clusters) -> dict:
    """A firm's fields as the audit trail keeps them: the county and the clusters by name."""
    county = record["region_code"]
    return {"name": record["name_zh"], "county": counties.names.get(county, county) if county else None,
            "above_scale": record["above_scale"], "land_mu": record["land_mu"], "founded": record["founded"],
            "industry_code": record["industry_code"], "exempt_reason": record["exempt_reason"],
            "clusters": "；".join(clusters.names.get(cluster_id, str(cluster_id)) + (f"（{segment}）" if segment else "")
                                 for cluster_id, segment in links) or None}


def _differs(new, old) -> bool:
    if isinstance(new, float) and isinstance(old, float):
        return abs(new - old) > 1e-9 * max(1.0, abs(old))
    return new != old


def _links(written: str | None, segment: str | None, old: list[tuple[int, str | None]], clusters: _Clusters,
           bad) -> list[tuple[int, str | None]] | None:
    """The firm's clusters as the row gives them, or None where the row leaves them as they are.
    The segment is the main (first) cluster's; the other clusters keep theirs."""
    if segment is not None and len(segment) > LIMITS["segment"]:
        bad("segment", _too_long("segment"))
    if written is None and segment is None:
        return None
    segments = dict(old)
    if written is not None:
        ids, seen = [], set()
        for part in (p.strip() for p in _SEPARATOR.split(written)):
            if not part:
                continue
            cluster = clusters.find(part)
            if cluster is None:
                bad("clusters", clusters.unknown(part))
            elif cluster.id in seen:
                bad("clusters", msg("{name} appears twice", name=part))
            else:
                seen.add(cluster.id)
                ids.append(cluster.id)
    else:
        ids = [cluster_id for cluster_id, _ in old]
    if segment and not ids:
        bad("segment", msg("a segment of the chain needs a cluster: write the firm's main cluster first"))
    if segment is not None and ids:
        segments[ids[0]] = segment or None
    return [(cluster_id, segments.get(cluster_id)) for cluster_id in ids]


def _stored_links(session: Session, plan: Plan) -> dict[int, list[tuple[int, str | None]]]:
    links: dict[int, list[tuple[int, str | None]]] = {}
    for firm_id, cluster_id, segment in session.execute(
            select(EnterpriseCluster.enterprise_id, EnterpriseCluster.cluster_id, EnterpriseCluster.segment)
            .join(Cluster, Cluster.id == EnterpriseCluster.cluster_id).where(Cluster.plan_id == plan.id)
            .order_by(EnterpriseCluster.enterprise_id, EnterpriseCluster.position, EnterpriseCluster.id)):
        links.setdefault(firm_id, []).append((cluster_id, segment))
    return links


def import_register(session: Session, plan: Plan, result: RegisterPlan, user=None, *, reason: str | None = None,
                    channel: str = "file") -> RegisterPlan:
    """Write a checked register file in the caller's transaction, with an audit entry for each
    firm it creates or changes; nothing if it has any problem."""
    if result.has_errors:
        raise BadInput("file", msg("{n} problem(s); nothing was imported", n=result.error_count))
    record_many(session, user, result.audit, reason=_reason(reason, result), channel=channel)
    # New rows by COPY (db.bulk_insert), changed ones by one UPDATE executed many times. (The ORM's
    # bulk insert leaves out None values of columns with defaults, which splits rows with
    # differing empty cells into a statement each: 120,000 round trips for 60,000 firms.)
    firms, links = Enterprise.__table__, EnterpriseCluster.__table__
    now = _now()
    ids: dict[str, int] = {}
    columns = ["uscc", *FIRM_FIELDS, "synthetic", "created_at"]
    # The ids come from the database's sequence; they are looked up by code below.
    _copy(session, firms, columns, [(r["uscc"], *(r[f] for f in FIRM_FIELDS), False, now) for r in result.creates])
    _update_many(session, firms, result.updates)
    if result.links:
        created = {r["uscc"] for r in result.creates}
        codes = list(result.links)
        for start in range(0, len(codes), CHUNK):
            ids.update(session.execute(select(firms.c.uscc, firms.c.id).where(firms.c.uscc.in_(codes[start:start + CHUNK]))).all())
        replaced = [ids[code] for code in codes if code not in created]
        plan_clusters = select(Cluster.id).where(Cluster.plan_id == plan.id)
        for start in range(0, len(replaced), CHUNK):
            session.execute(delete(EnterpriseCluster).where(EnterpriseCluster.enterprise_id.in_(replaced[start:start + CHUNK]),
                                                            EnterpriseCluster.cluster_id.in_(plan_clusters)))
        _copy(session, links, ["enterprise_id", "cluster_id", "position", "segment"],
              [(ids[code], cluster_id, position, segment)
               for code, firm_links in result.links.items() for position, (cluster_id, segment) in enumerate(firm_links)])
    session.flush()
    return result


def _reason(typed: str | None, result: RegisterPlan) -> str:
    """What the trail says of an import: the file's name, and the person's words if any."""
    typed = free_text.reason(typed)
    return f"{result.filename}: {typed}" if typed else result.filename


def _copy(session: Session, table, columns: list[str], rows: list[tuple]) -> None:
    """Many rows into a table the driver's fastest way (db.bulk_insert: COPY on PostgreSQL), each
    value made ready for the driver by its column's type (dates and booleans on SQLite)."""
    connection = session.connection()
    dialect = connection.dialect
    processors = [table.c[c].type.dialect_impl(dialect).bind_processor(dialect) for c in columns]
    if any(processors):
        rows = [tuple(p(v) if p is not None and v is not None else v for p, v in zip(processors, row)) for row in rows]
    bulk_insert(connection, table, columns, rows)


def _update_many(session: Session, table, rows: list[dict]) -> None:
    """UPDATE … WHERE id = ?, executed many at a time; every row names the same columns."""
    statement = update(table).where(table.c.id == bindparam("_id"))
    for start in range(0, len(rows), CHUNK):
        session.execute(statement, [{"_id": r["id"], **{k: v for k, v in r.items() if k != "id"}}
                                    for r in rows[start:start + CHUNK]])


def export_register(session: Session, plan: Plan, fmt: str, firm_ids=None) -> bytes:
    """The register (or the given firms) with the columns the import reads. In .xlsx a last
    column 示例数据 marks synthetic firms; the import ignores it."""
    clusters = _Clusters.of(session, plan)
    query = select(Enterprise).order_by(Enterprise.uscc)
    links = _stored_links(session, plan)
    if firm_ids is not None:
        query = query.where(Enterprise.id.in_(list(firm_ids)))
    header = list(REGISTER_COLUMNS.values())
    rows = []
    for firm in session.scalars(query):
        firm_links = links.get(firm.id, [])
        rows.append([firm.uscc, firm.name_zh, firm.region_code, "是" if firm.above_scale else "否",
                     firm.land_mu, firm.founded.isoformat() if firm.founded else None, firm.industry_code,
                     "；".join(clusters.names[c] for c, _ in firm_links), firm_links[0][1] if firm_links else None,
                     firm.exempt_reason, "是" if firm.synthetic else None])
    if fmt == "csv":
        return _csv(header, [r[:-1] for r in rows])
    if fmt == "xlsx":
        return _xlsx("企业名录", header + [SYNTHETIC_COLUMN[1]], rows)
    raise BadInput("format", msg("{value} is not a format: write xlsx or csv", value=repr(fmt)))


def _csv(header: list[str], rows: list[list]) -> bytes:
    # Figures as written, without a trailing .0 (15 significant digits: a double's own precision).
    return tabular.write_csv(header, [[f"{v:.15g}" if isinstance(v, float) else v for v in row] for row in rows])


def _xlsx(title: str, header: list[str], rows: list[list]) -> bytes:
    # The header in row 1, so that an export imports back; codes and dates are already text.
    return tabular.write_xlsx(title, header, rows, widths={col: 24 if col in (0, 1) else 14 for col in range(len(header))})


# ---------------------------------------------------------------------------------------------
# Lists and tiers


def _list_code(text: str) -> str | None:
    for code, item in LISTS.items():
        if text in (code, item["zh"]) or text.lower() == item["en"].lower():
            return code
    return None


def _level_code(text: str) -> str | None:
    for code, (zh, en) in LEVELS.items():
        if text in (code, zh) or text.lower() in (code, en):
            return code
    return None


def read_memberships(session: Session, plan: Plan, content: bytes, filename: str) -> RegisterPlan:
    """Check a file of firms' places on lists and tiers; a dry run that writes nothing."""
    table = read_table(content, filename)
    found = _columns(table, MEMBERSHIP_COLUMNS, MEMBERSHIP_REQUIRED, (NAME_COLUMN,))
    result = RegisterPlan(kind="memberships", filename=filename, rows=len(table.rows))
    clusters = _Clusters.of(session, plan)
    firms = dict(session.execute(select(Enterprise.uscc, Enterprise.id)).all())
    stored: dict[tuple, Row] = {}
    for m in session.execute(select(ListMembership.id, ListMembership.enterprise_id, ListMembership.list_code,
                                    ListMembership.level, ListMembership.since, ListMembership.until,
                                    ListMembership.cluster_id, ListMembership.source).order_by(ListMembership.id)):
        stored.setdefault((m.enterprise_id, m.list_code, m.level, m.since), m)
    list_names = "、".join(item["zh"] for item in LISTS.values())
    first_row: dict[tuple, int] = {}

    for row, cell, bad, before, code in _rows(result, table, found, MEMBERSHIP_COLUMNS):
        firm_id = None
        if not code:
            pass  # reported by _rows
        elif code not in firms:
            problem = uscc_codes.problem(code)
            bad("uscc", problem.message if problem else
                msg("{code} is not in the enterprise register: register the firm first", code=code))
        else:
            firm_id = firms[code]

        written_list, list_code = cell("list"), None
        if not written_list:
            bad("list", msg("the list is empty: write one of {names}", names=list_names))
        else:
            list_code = _list_code(written_list)
            if list_code is None:
                bad("list", msg("{value} is not a list: write one of {names}", value=repr(written_list), names=list_names))

        written_level, level = cell("level"), None
        if not written_level:
            bad("level", msg("the level is empty: write 国家级, 省级, 市级 or 区县级"))
        else:
            level = _level_code(written_level)
            if level is None:
                bad("level", msg("{value} is not a level: write 国家级, 省级, 市级 or 区县级", value=repr(written_level)))
            elif list_code is not None and level not in LISTS[list_code]["levels"]:
                allowed = "、".join(LEVELS[lv][0] for lv in LISTS[list_code]["levels"])
                bad("level", msg("{list} is not awarded at {level} (only {levels})", list=LISTS[list_code]["zh"],
                                 level=LEVELS[level][0], levels=allowed))

        cluster_id = None
        written_cluster = cell("cluster")
        if written_cluster:
            cluster = clusters.find(written_cluster)
            if cluster is None:
                bad("cluster", clusters.unknown(written_cluster))
            else:
                cluster_id = cluster.id

        since_text, since = cell("since"), None
        if not since_text:
            bad("since", msg("the date of listing is empty: write YYYY-MM-DD"))
        else:
            since = _date(since_text)
            if since is None:
                bad("since", _date_problem(since_text))
        until_text, until = cell("until") or "", None
        if until_text:
            until = _date(until_text)
            if until is None:
                bad("until", _date_problem(until_text))
            elif since is not None and until < since:
                bad("until", msg("the exit date {until} is before the listing date {since}", until=until.isoformat(),
                                 since=since.isoformat()))
        source = cell("source")
        if source is not None and len(source) > LIMITS["source"]:
            bad("source", _too_long("source"))
        if result.error_count > before:
            continue
        key = (firm_id, list_code, level, since)
        if key in first_row:
            bad("uscc", msg("the same listing is also in row {row}", row=first_row[key]))
            continue
        first_row[key] = row
        old = stored.get(key)
        record = {"until": until,
                  "cluster_id": cluster_id if "cluster" in found else (old.cluster_id if old else None),
                  "source": source if source is not None else (old.source if old else "")}
        assert since is not None and list_code is not None and level is not None  # else an error was counted
        list_name, level_name = LISTS[list_code]["zh"], LEVELS[level][0]
        audit_key, label = f"{code} {list_code} {level} {since.isoformat()}", f"{code} · {list_name}（{level_name}） · {since.isoformat()}"
        if old is None:
            result.created += 1
            result.creates.append({"enterprise_id": firm_id, "list_code": list_code, "level": level, "since": since, **record})
            result.audit.append(("listing", audit_key, label, "create", *differences(
                None, {"list": list_name, "level": level_name, "since": since, **_listing_seen(record, clusters)})))
        elif any(record[f] != getattr(old, f) for f in record):
            result.updated += 1
            result.updates.append({"id": old.id, **record})
            result.audit.append(("listing", audit_key, label, "update", *differences(
                _listing_seen(old._asdict(), clusters), _listing_seen(record, clusters))))
        else:
            result.unchanged += 1
    return result


def _listing_seen(record, clusters: _Clusters) -> dict:
    cluster = record["cluster_id"]
    return {"until": record["until"], "cluster": clusters.names.get(cluster, str(cluster)) if cluster else None,
            "source": record["source"] or None}


def import_memberships(session: Session, plan: Plan, result: RegisterPlan, user=None, *, reason: str | None = None,
                       channel: str = "file") -> RegisterPlan:
    """Write a checked file of listings in the caller's transaction, with an audit entry for
    each listing it adds or changes; nothing if it has any problem."""
    if result.has_errors:
        raise BadInput("file", msg("{n} problem(s); nothing was imported", n=result.error_count))
    record_many(session, user, result.audit, reason=_reason(reason, result), channel=channel)
    now = _now()
    table = ListMembership.__table__
    for start in range(0, len(result.creates), CHUNK):
        session.execute(insert(table), [{**r, "created_at": now} for r in result.creates[start:start + CHUNK]])
    _update_many(session, table, result.updates)
    session.flush()
    return result


def export_memberships(session: Session, plan: Plan, fmt: str, firm_ids=None) -> bytes:
    """Every listing (or the given firms') with the columns the import reads, and the firm's
    name after its code for people to read (the import ignores it)."""
    clusters = _Clusters.of(session, plan)
    query = (select(ListMembership, Enterprise.uscc, Enterprise.name_zh)
             .join(Enterprise, Enterprise.id == ListMembership.enterprise_id)
             .order_by(Enterprise.uscc, ListMembership.list_code, ListMembership.since, ListMembership.id))
    if firm_ids is not None:
        query = query.where(ListMembership.enterprise_id.in_(list(firm_ids)))
    header = [MEMBERSHIP_COLUMNS["uscc"], NAME_COLUMN[1], *[MEMBERSHIP_COLUMNS[k] for k in
                                                           ("list", "level", "cluster", "since", "until", "source")]]
    rows = [[code, name, LISTS[m.list_code]["zh"], LEVELS[m.level][0],
             clusters.names.get(m.cluster_id) if m.cluster_id is not None else None,
             m.since.isoformat(), m.until.isoformat() if m.until else None, m.source]
            for m, code, name in session.execute(query)]
    if fmt == "csv":
        return _csv(header, rows)
    if fmt == "xlsx":
        return _xlsx("名单认定", header, rows)
    raise BadInput("format", msg("{value} is not a format: write xlsx or csv", value=repr(fmt)))
