"""How a firm's values of a return are stored: one row per firm × form × period, holding a
JSON object {indicator: value} and the same values packed as float64s in the order of the
form's indicators when they were written (`layout`). The packed bytes make reading a
province's history a single buffer copy; the JSON keeps every value readable whatever the
form asks later. docs/decisions.md gives the measured reason.
"""

from __future__ import annotations

import hashlib
import io

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy import Text, cast, select
from sqlalchemy.orm import Session

from clusterwatch.db import driver_rows
from clusterwatch.reporting.models import EnterpriseValues, Form


def layout_key(codes: list[str]) -> str:
    """Names the order of the values in a packed row (the form's indicators when written)."""
    return hashlib.sha1(",".join(codes).encode()).hexdigest()[:16]


def pack(row: np.ndarray) -> bytes:
    return np.asarray(row, dtype="<f8").tobytes()


def read_rows(session: Session, form: Form, periods: list[str], codes: list[str], *, with_ids: bool = True,
               approved_only: bool = False):
    """Stored rows of the form for the periods: (row ids or None, firm ids, periods, values as
    a rows × codes matrix). Packed rows of the current layout are read as raw float64s; rows
    written under another layout (the form has changed since) are read from their JSON. The
    history asks without ids: a column fewer of its 720,000 rows."""
    key = layout_key(codes)
    columns = [EnterpriseValues.enterprise_id, EnterpriseValues.period] + ([EnterpriseValues.id] if with_ids else [])
    base = select(*columns).where(EnterpriseValues.form_id == form.id, EnterpriseValues.period.in_(periods))
    if approved_only:
        base = base.where(EnterpriseValues.approved.is_(True))
    connection = session.connection()  # the driver's tuples, not SQLAlchemy's rows
    packed = driver_rows(connection, base.add_columns(EnterpriseValues.packed).where(EnterpriseValues.layout == key))
    other = driver_rows(connection, base.add_columns(cast(EnterpriseValues.values, Text)).where(EnterpriseValues.layout != key))
    matrix = np.frombuffer(b"".join(bytes(r[-1]) for r in packed), dtype="<f8").reshape(len(packed), len(codes))
    if other:
        matrix = np.vstack([matrix, json_matrix([r[-1] for r in other], codes)])
    rows = packed + other
    ids = np.array([r[2] for r in rows], dtype=np.int64) if with_ids else None
    return ids, np.array([r[0] for r in rows], dtype=np.int64), [r[1] for r in rows], matrix


def approved_values(session: Session, form: Form, period: str, codes: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """The approved rows of the form for one period: firm ids and a rows × codes matrix of
    their values in the indicators' units (NaN where a value is empty)."""
    _, firm_ids, _, matrix = read_rows(session, form, [period], codes, with_ids=False, approved_only=True)
    return firm_ids, matrix


def json_matrix(texts: list[str], codes: list[str]) -> np.ndarray:
    """Stored JSON objects as a rows × codes matrix, parsed by Arrow's JSON reader in one go."""
    import pyarrow.json as pa_json

    matrix = np.full((len(texts), len(codes)), np.nan)
    if not texts:
        return matrix
    table = pa_json.read_json(io.BytesIO("\n".join(texts).encode()))
    for j, code in enumerate(codes):
        if code in table.column_names:
            matrix[:, j] = pc.cast(table.column(code), pa.float64()).to_numpy(zero_copy_only=False)
    return matrix


NEW_ROW_COLUMNS = ["form_id", "enterprise_id", "region_code", "period", "period_type", "year", "values", "layout",
                   "packed", "status", "approved", "created_batch_id", "batch_id"]


def json_objects(codes: list[str], matrix: np.ndarray) -> list[str]:
    """Each row as the JSON text of {indicator: value}, leaving out empty values; written by
    Arrow's string kernels a column at a time, not by a dict and a dumps call per firm."""
    if not len(matrix):
        return []
    # Each present value as '"code":value,' and each empty one as ''; joined, and the last
    # comma trimmed. (Arrow's null_handling="skip" loses rows whose values are all empty.)
    parts = [pc.fill_null(pc.binary_join_element_wise(f'"{code}":', pc.cast(pa.array(matrix[:, j], from_pandas=True), pa.string()),
                                                      ",", ""), "")
             for j, code in enumerate(codes)]
    joined = pc.utf8_rtrim(pc.binary_join_element_wise(*parts, ""), characters=",")
    return pc.binary_join_element_wise("{", joined, "}", "").to_pylist()


def as_object(codes: list[str], row: np.ndarray) -> dict:
    return {code: value for code, value in zip(codes, row.tolist()) if value == value}  # NaN != NaN
