"""Jinja2 environments, one per language, with the helpers the templates share."""

from __future__ import annotations

import json
import math
from functools import lru_cache
from pathlib import Path
from urllib.parse import urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from clusterwatch.accounts.permissions import can
from clusterwatch.assessment.methods import reason_text
from clusterwatch.web.i18n import translations

TEMPLATES = Path(__file__).parent / "templates"
# The rankings' indicators, two of them growth rates computed from stored figures.
RANKING_INDICATORS = {
    "revenue": ("营业收入", "Revenue"), "revenue_growth": ("营业收入增速", "Revenue growth"),
    "rd_intensity": ("研发投入强度", "R&D intensity"), "labour_productivity": ("全员劳动生产率", "Labour productivity"),
    "value_added_growth": ("增加值增速", "Value-added growth"), "value_added": ("增加值", "Value added"),
}


def number(value: float | None, digits: int = 1) -> str:
    """Thousands separators and a fixed number of decimals; a dash where there is no value."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    return f"{value:,.{digits}f}"


def percent(value: float | None, digits: int = 1) -> str:
    return "—" if value is None else f"{value:.{digits}f}%"


UNITS_EN = {
    "亿元": "100m yuan", "万亿元": "trillion yuan", "万元": "10k yuan", "元": "yuan",
    "万元/人": "10k yuan/person", "人": "persons", "万人": "10k persons",
    "家": "firms", "万家": "10k firms", "家次": "firm-awards", "件": "items", "万件": "10k items",
    "个": "units", "座": "sites", "%": "%", "倍": "times",
}


def with_language(request, lang: str) -> str:
    """This page's relative URL with `lang` set, other query parameters kept."""
    params = dict(request.query_params)
    params["lang"] = lang
    return str(request.url.path) + "?" + urlencode(params)


def csrf_token(request) -> str:
    login = getattr(request.state, "login", None)
    return login.csrf_token if login is not None else ""


def signed_in_user(request):
    login = getattr(request.state, "login", None)
    return login.user if login is not None else None


def dump(value):
    """Pydantic models (or lists of them) as plain JSON-ready data, for chart configs."""
    if isinstance(value, list):
        return [dump(v) for v in value]
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json")
    return value


def to_json(value) -> Markup:
    """JSON for a <script type="application/json"> block; `</` cannot close the tag."""
    text = json.dumps(value, ensure_ascii=False, default=str).replace("</", "<\\/")
    return Markup(text)


@lru_cache
def environment(lang: str) -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(["html"]),
        extensions=["jinja2.ext.i18n"],
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.install_gettext_translations(translations(lang), newstyle=True)  # type: ignore[attr-defined]  # added at run time by the i18n extension
    env.filters["number"] = number
    env.filters["percent"] = percent
    env.filters["tojson_script"] = to_json
    env.filters["dump"] = dump
    env.filters["unit"] = (lambda u: UNITS_EN.get(u, u)) if lang == "en" else (lambda u: u)
    env.globals["lang"] = lang
    env.globals["with_language"] = with_language
    env.globals["csrf_token"] = csrf_token
    env.globals["signed_in_user"] = signed_in_user
    env.globals["can"] = can
    env.globals["reason_text"] = lambda code: reason_text(code, lang)
    env.globals["indicator_label"] = lambda code: RANKING_INDICATORS[code][0 if lang == "zh" else 1]

    def name(obj) -> str:
        """The Chinese or English name of a cluster, region or indicator."""
        if isinstance(obj, dict):
            return obj.get(f"name_{lang}") or obj.get("name_zh", "")
        # "" rather than None for a missing attribute: as falsy, and not Optional for mypy.
        return getattr(obj, f"name_{lang}", "") or getattr(obj, "name_zh", "")

    env.globals["name"] = name
    return env
