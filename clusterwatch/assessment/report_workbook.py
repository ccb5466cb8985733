"""The periodic report as an .xlsx workbook: the tables behind every figure of the PDF."""

from __future__ import annotations

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font

from clusterwatch.assessment.methods import reason_text
from clusterwatch.assessment.report import ReportPublic, report_title
from clusterwatch.tabular import append_row

STATUS_ZH = {
    "achieved": "已实现", "ahead": "快于预期", "on_track": "基本符合预期", "slightly_behind": "略有滞后",
    "behind": "滞后", "missed": "未实现", "moderate": "进展一般", "insufficient_progress": "进展不足",
    "moving_away": "背离目标", "no_data": "无数据", "insufficient_data": "数据不足", "not_applicable": "不适用",
}
METHOD_ZH = {"plan_schedule": "规划进度法", "cagr_ratio": "年均增速比法", "geometric": "几何外推",
             "weighted_regression": "时间加权回归"}
LIGHT_ZH = {"green": "绿", "amber": "黄", "red": "红", "grey": "灰"}


def _sheet(book: Workbook, title: str, header: list[str], rows: list[list]) -> None:
    sheet = book.create_sheet(title)
    append_row(sheet, header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        append_row(sheet, row)
    sheet.freeze_panes = "A2"
    for column, name in zip(sheet.columns, header):
        sheet.column_dimensions[column[0].column_letter].width = max(10, min(40, len(str(name)) * 2 + 2))


def render_xlsx(report: ReportPublic, lang: str = "zh") -> bytes:
    zh = lang != "en"
    status = (lambda s: STATUS_ZH[s]) if zh else (lambda s: s.replace("_", " "))
    method = (lambda m: METHOD_ZH[m]) if zh else (lambda m: m.replace("_", " "))
    light = (lambda x: LIGHT_ZH[x]) if zh else (lambda x: x)
    book = Workbook()
    about = book.active
    about.title = "说明" if zh else "About"
    append_row(about, [report_title(report, lang)])
    about["A1"].font = Font(bold=True, size=14)
    append_row(about, ["报告期" if zh else "Period", report.period])
    append_row(about, ["目标评估所用年度" if zh else "Goals judged on the year", report.as_of_year])
    append_row(about, ["生成时间（UTC）" if zh else "Generated (UTC)", report.generated.isoformat()])
    append_row(about, ["数据说明" if zh else "Data", report.data.zh if zh else report.data.en])
    append_row(about, ["方法" if zh else "Methods", "docs/methods.md"])
    about.column_dimensions["A"].width = 24
    about.column_dimensions["B"].width = 90

    goal_header = (["目标代码", "指标", "范围", "目标", "单位", "目标年份", "最新年份", "最新值", "灯", "状态", "方法",
                    "规划进度法", "完成度P", "时间进度τ", "年均增速比法", "R", "实际年均增速%", "几何外推值", "时间加权回归外推值",
                    "说明", "出处", "行号", "原文"] if zh else
                   ["code", "indicator", "scope", "goal", "unit", "target year", "latest year", "latest value", "light",
                    "status", "method", "plan schedule", "completion P", "elapsed τ", "CAGR ratio", "R", "actual CAGR %",
                    "geometric projection", "weighted-regression projection", "reason", "document", "line", "quote"])
    goals = []
    for t in report.targets:
        p = t.progress
        by = {m.method: m for m in p.methods}
        projections = {x.method: x.value for x in p.projections}
        goals.append([
            t.code, t.indicator_text or (t.indicator_name_zh if zh else t.indicator_name_en),
            (t.cluster_name_zh if zh else t.cluster_name_en) or t.cluster_group or ("全省" if zh else "province"),
            t.value, t.unit, t.year, p.year, p.value, light(p.light), status(p.status), method(p.method),
            status(by["plan_schedule"].status), by["plan_schedule"].completion, by["plan_schedule"].elapsed,
            status(by["cagr_ratio"].status), by["cagr_ratio"].ratio, p.cagr,
            projections.get("geometric"), projections.get("weighted_regression"),
            reason_text(p.reason, lang), t.citation.document, t.citation.line, t.citation.text,
        ])
    _sheet(book, "目标" if zh else "Goals", goal_header, goals)

    years = sorted({int(point.period) for t in report.targets for point in t.trend})
    trend_rows = []
    for t in report.targets:
        values = {int(point.period): point.value for point in t.trend}
        trend_rows.append([t.code, t.progress.goal_level, *[values.get(y) for y in years]])
    _sheet(book, "目标趋势" if zh else "Goal trends", ["目标代码" if zh else "code", "目标水平" if zh else "goal level",
                                                     *map(str, years)], trend_rows)

    _sheet(book, "本年累计" if zh else "Year to date",
           ["指标", "单位", "月数", "本期累计", "上年同期", "同比增长%"] if zh else
           ["indicator", "unit", "months", "year to date", "same months a year before", "growth %"],
           [[y.name_zh if zh else y.name_en, y.unit, y.months, y.value, y.previous, y.growth] for y in report.year_to_date])
    kind_zh = {"off_track": "目标偏离", "turned_worse": "较上年变差", "yoy_fall": "同比大幅下降", "mom_fall": "环比大幅下降",
               "returns_missing": "报表未报", "task_overdue": "任务逾期"}
    _sheet(book, "预警" if zh else "Warnings",
           ["类型", "程度", "期别", "产业集群", "地区", "指标、报表或任务", "数值", "参照值", "变化%", "未报单位或责任部门"] if zh else
           ["kind", "severity", "period", "cluster", "region", "indicator, form or task", "value", "reference", "change %",
            "units not in, or departments"],
           [[kind_zh[w.kind] if zh else w.kind, ("高" if w.severity == "high" else "中") if zh else w.severity, w.period,
             (w.cluster_name_zh if zh else w.cluster_name_en), (w.region_name_zh if zh else w.region_name_en),
             w.form or w.task_title or (w.indicator_name_zh if zh else w.indicator_name_en), w.value, w.reference,
             w.change, ", ".join(w.units or w.departments)] for w in report.warnings])
    if report.clusters:
        _sheet(book, "集群" if zh else "Clusters", ["集群", "类别", "城市数", "最新值", "目标", "状态"] if zh else
               ["cluster", "kind", "cities", "latest", "goal", "status"],
               [[c.name_zh if zh else c.name_en, c.kind, c.cities,
                 c.headline.progress.value if c.headline else None, c.headline.value if c.headline else None,
                 status(c.headline.progress.status) if c.headline else None] for c in report.clusters])
    if report.cluster_cities:
        _sheet(book, "城市" if zh else "Cities", ["城市", "布局", "营业收入", "占比%", "增长%", "增加值", "研发强度%", "从业人员"] if zh else
               ["city", "tier", "revenue", "share %", "growth %", "value added", "R&D intensity %", "employment"],
               [[c.name_zh if zh else c.name_en, c.tier, c.revenue, c.share, c.growth, c.value_added, c.rd_intensity,
                 c.employment] for c in report.cluster_cities])
    if report.city_clusters:
        _sheet(book, "集群" if zh else "Clusters", ["集群", "布局", "营业收入", "增长%", "增加值", "研发强度%", "从业人员", "占全省%"] if zh else
               ["cluster", "tier", "revenue", "growth %", "value added", "R&D intensity %", "employment", "share of province %"],
               [[c.cluster.name_zh if zh else c.cluster.name_en, c.tier, c.revenue, c.growth, c.value_added, c.rd_intensity,
                 c.employment, c.share_of_province] for c in report.city_clusters])
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
