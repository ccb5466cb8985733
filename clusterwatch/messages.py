"""Messages for people, in their language.

The service layer words its messages in English, with the particulars in them ("'12万' is not
a number (write the figure in 万元, without units or text)"); the web layer shows them in the
user's language. Each entry below pairs an English pattern with its Chinese wording; the
particulars are carried over, and are themselves translated when they are messages too
("{file}: {problem}"). A message no entry matches is shown as it is: a test runs every
message the bad-file corpus and the reporting tests produce through `localize` and fails on
any that stays English.
"""

from __future__ import annotations

import re
from functools import lru_cache

# (English, Chinese). {name} matches any text; the most specific patterns come first.
CATALOG: list[tuple[str, str]] = [
    # Files and templates
    ("{file}, line {line}: {n} fields where the header has {m}", "{file} 第 {line} 行：有 {n} 个字段，表头有 {m} 个"),
    ("{file}: larger than {n} MB; a return is a few kilobytes", "{file}：文件大于 {n} MB；一份报表只有几 KB"),
    ("{file}: larger than {n} MB; split the file", "{file}：文件大于 {n} MB；请拆分文件"),
    ("{file}: larger than {n} MB", "{file}：文件大于 {n} MB"),
    ("{file}: would unpack to {n} MB; a return is far smaller", "{file}：解压后达 {n} MB，远大于一份报表，拒绝读取"),
    ("{file}: not a readable .xlsx file (not a zip package)", "{file}：不是可读取的 .xlsx 文件（不是 zip 包）"),
    ("{file}: not a readable .xlsx file ({kind})", "{file}：不是可读取的 .xlsx 文件（{kind}）"),
    ("{file}: not a clusterwatch return template (download one from the form's page)",
     "{file}：不是本平台的报表模板（请在报表页面下载模板）"),
    ("{file}: a template of another version; download a new one", "{file}：模板版本不符，请重新下载模板"),
    ("{file}: a template of plan {other}, not {plan}", "{file}：这是规划 {other} 的模板，不是 {plan} 的"),
    ("{file}: the template's hidden codes ({key}) are missing; download a new one",
     "{file}：模板的隐藏代码（{key}）缺失，请重新下载模板"),
    ("{file}: the form's indicators have changed since the template was made; download a new one",
     "{file}：模板生成后报表指标已变更，请重新下载模板"),
    ("{file}: the template names region {code}, which does not exist", "{file}：模板中的地区 {code} 不存在"),
    ("{file}: cells {cells} hold formulas: paste them as values", "{file}：单元格 {cells} 含有公式，请粘贴为数值"),
    ("{file}: cells {cells} are merged: unmerge them and give each cell its own value",
     "{file}：单元格 {cells} 已合并，请取消合并，每个单元格单独填写"),
    ("{file}: the file is empty", "{file}：文件为空"),
    ("{file}: more than {n} rows; split the file", "{file}：超过 {n} 行，请拆分文件"),
    ("{file}: neither UTF-8 nor GB18030 text; save the file as CSV (UTF-8)", "{file}：既不是 UTF-8 也不是 GB18030 文本，请另存为 CSV（UTF-8）"),
    ("{file}: the header lacks {names} (columns: {columns})", "{file}：表头缺少 {names}（列：{columns}）"),
    ("{file}: {names} is not a column (columns: {columns})", "{file}：{names} 不是可用的列（列：{columns}）"),
    ("{file}: an SDMX-CSV file of this platform has the columns {columns}; {names} is missing",
     "{file}：本平台的 SDMX-CSV 文件应有列 {columns}；缺少 {names}"),
    ("{file}: {names} is not a dimension or attribute of the dataflow", "{file}：{names} 不是该数据流的维度或属性"),
    ("{n} problem(s); nothing was imported", "共 {n} 个问题，未导入任何数据"),
    # Cells and rows
    ("the column should be {name}, it says {written}: were columns moved or renamed?",
     "此列应为“{name}”，实为 {written}：列是否被移动或改名？"),
    ("the row should be {name}, it says {written}: were rows moved or deleted?",
     "此行应为“{name}”，实为 {written}：行是否被移动或删除？"),
    ("a row added below the form's rows: it is not read", "在报表行之下新增的行不会被读取"),
    ("{name} appears twice", "“{name}”出现了两次"),
    ("cluster {slug} is not laid out in {region}", "集群 {slug} 未在{region}布局"),
    ("{value} is not a number (write the figure in {unit}, without units or text)",
     "{value} 不是数字（请以{unit}为单位填写数字，不带单位或文字）"),
    ("{value} is below the lowest plausible value {bound} {unit}", "{value} 低于合理下限 {bound} {unit}"),
    ("{value} is above the highest plausible value {bound} {unit}", "{value} 高于合理上限 {bound} {unit}"),
    ("{value} is far from this unit's own history (modified z-score {score}): check it, or explain it when submitting",
     "{value} 与本单位历史数据相差较大（修正 z 值 {score}）：请核实，或在提交前说明原因"),
    ("{value} is far from this firm's own history (modified z-score {score}): check it, or explain it when submitting",
     "{value} 与本企业历史数据相差较大（修正 z 值 {score}）：请核实，或在提交前说明原因"),
    ("{rule}: {left} {op} the sum of {n} child regions' {right} (within {tol}%) fails ({a} vs {b})",
     "{rule}：{left} {op} 所辖 {n} 个下级地区的 {right} 之和（容差 {tol}%）不成立（{a} 对 {b}）"),
    ("{rule}: {left} {op} {right} fails ({a} vs {b})", "{rule}：{left} {op} {right} 不成立（{a} 对 {b}）"),
    ("{indicator} is also given at {place}", "{indicator} 已在 {place} 填报过"),
    ("{indicator} is not an indicator of form {form} ({codes})", "{indicator} 不是报表 {form} 的指标（{codes}）"),
    ("form {form} is reported by cluster: say which", "报表 {form} 按集群填报：请填写集群"),
    ("form {form} is not reported by cluster; leave the cluster empty", "报表 {form} 不按集群填报：集群一栏请留空"),
    ("{status} is not an observation status (A, P, E, F, B or M)", "{status} 不是有效的观测状态（A、P、E、F、B 或 M）"),
    ("the firm's registered name is missing", "缺少企业登记名称"),
    ("the {field} is missing", "缺少{field}"),
    ("{value}: write dataflow", "{value}：请填写 dataflow"),
    ("{value} is not this form's dataflow: write {expected}", "{value} 不是本报表的数据流：请填写 {expected}"),
    ("{value}: only I (information), A (append) and R (replace) are taken; values are not deleted by import",
     "{value}：只接受 I（信息）、A（追加）和 R（替换）；导入不会删除数据"),
    # Firms
    ("no unified social credit code: every row is one firm", "缺少统一社会信用代码：每行填报一家企业"),
    ("{code} is also in row {row}: one row per firm", "{code} 在第 {row} 行已出现：每家企业只填一行"),
    ("{code} is not in the enterprise register: register the firm first", "{code} 不在企业名录中：请先登记该企业"),
    ("{code} ({region}) is registered outside {unit}: you may not report for it here", "{code}（{region}）登记在{unit}以外：不能在此填报"),
    ("{code}: you may report for your own firm only ({own})", "{code}：您只能填报本企业（{own}）"),
    ("the register calls {code} {name}, the file {written}: check that the row is the right firm",
     "企业名录中 {code} 的名称是“{name}”，文件中是 {written}：请核对该行是否为同一企业"),
    ("{name} is in {unit}: {problem}", "{name}应以{unit}填报：{problem}"),
    ("the header does not say the unit: write {header}", "表头未注明单位：请写成 {header}"),
    ("{text} is not a column of this form", "{text} 不是本报表的列"),
    ("{code} is not a valid unified social credit code: {reason}", "{code} 不是有效的统一社会信用代码：{reason}"),
    ("{n} characters, not 18", "有 {n} 位，应为 18 位"),
    ("character {ch} is not allowed (digits and capital letters other than I, O, Z, S, V)",
     "不允许使用字符 {ch}（只能使用数字和除 I、O、Z、S、V 以外的大写字母）"),
    ("characters 3-8 must be a region code, not {code}", "第 3–8 位应为行政区划代码，而不是 {code}"),
    ("the organisation code's check character is {written}, it should be {expected}", "组织机构代码校验码为 {written}，应为 {expected}"),
    ("the check character is {written}, it should be {expected}", "校验码为 {written}，应为 {expected}"),
    ("{code} is already in the register", "{code} 已在企业名录中"),
    ("{code} is not a county-level region (a firm is registered in its county or district)",
     "{code} 不是县级行政区（企业登记在所在县（区））"),
    ("land area {n} 亩 is negative", "用地面积 {n} 亩为负数"),
    # Units
    ("unknown unit {unit} (known units: {units})", "未知单位 {unit}（可用单位：{units}）"),
    ("{a} cannot be converted to {b}", "{a} 不能换算为 {b}"),
    # Periods, units, returns
    ("{key} is not a period: write 2025, 2025-Q1 or 2025-03", "{key} 不是报告期：请写成 2025、2025-Q1 或 2025-03"),
    # Monitoring
    ("{value} is not a light: {lights}", "{value} 不是信号灯：可选 {lights}"),
    ("{value} is not a scope: write province, cluster:<slug> or city:<code>",
     "{value} 不是报告范围：请写 province、cluster:<集群代码> 或 city:<城市代码>"),
    ("{value} is not a scope: {scopes}", "{value} 不是目标范围：可选 {scopes}"),
    ("{code} is not a city of the plan's region", "{code} 不是本规划所辖城市"),
    ("{value} is not a kind of warning: {kinds}", "{value} 不是预警类型：可选 {kinds}"),
    ("a fall threshold is a percentage between 0 and 100, not {value}", "降幅阈值应为 0 到 100 之间的百分数，而不是 {value}"),
    ("{value} is not a normalisation: {names}", "{value} 不是标准化方法：可选 {names}"),
    ("no annual figures have been approved yet", "尚无已审核的年度数据"),
    ("unknown indicator {name}: use {names}", "未知指标 {name}：可用 {names}"),
    ("{part} needs a weight: write indicator:percent", "{part} 缺少权重：请写成 指标:百分比"),
    ("the weight of {name} must be above 0", "{name} 的权重必须大于 0"),
    ("the weights add up to {total}, not 100", "权重合计为 {total}，应为 100"),
    # Evaluation of enterprises: schemes, runs, searches
    ("the quotas add up to {n}%, not 100%", "各类别比例合计为 {n}%，应为 100%"),
    ("give a quota for each of A, B, C and D", "请为 A、B、C、D 各类给出比例"),
    ("a quota cannot be negative", "比例不能为负数"),
    ("give the lowest score of A, B and C", "请给出 A、B、C 各类的最低分"),
    ("the cut-offs must fall from A to C", "分数线应从 A 到 C 依次降低"),
    ("an indicator is named twice", "有指标重复出现"),
    ("a constant benchmark above 0 is needed for {codes}", "{codes} 需要大于 0 的固定基准值"),
    ("Input should be greater than {n}", "应大于 {n}"),
    ("Input should be less than or equal to {n}", "应小于或等于 {n}"),
    ("Input should be a valid number, unable to parse string as a number", "应为数字"),
    ("Input should be {options}", "应为 {options}"),
    ("a number is needed here", "此处需要填写数字"),
    ("{raw} is not a number", "{raw} 不是数字"),
    ("{raw} is not a year", "{raw} 不是年份"),
    ("{value} is not a kind of benchmark", "{value} 不是基准值类型"),
    ("{value} is neither quotas nor cutoffs", "{value} 既不是按比例也不是按分数线"),
    ("{value} is neither pool_average nor zero", "{value} 既不是组内平均分也不是零分"),
    ("a scheme is an object of fields (code, indicators, benchmark, classing, …)",
     "评价方案应为由字段（code、indicators、benchmark、classing 等）组成的对象"),
    ("no approved annual returns of firms for {year}: nothing to evaluate", "{year} 年没有已审核的企业年报，无可评价的企业"),
    ("{form} is not an annual form of firms in plan {plan}", "{form} 不是规划 {plan} 中的企业年报表"),
    ("no evaluation run for {year} (runs: {years})", "{year} 年没有评价结果（已有：{years}）"),
    ("no evaluation has been run for this year", "该年度尚未开展评价"),
    ("no evaluation has been run yet", "尚未开展评价"),
    ("only a province administrator may change the evaluation", "只有省级管理员可以修改评价方案或开展评价"),
    ("{value} is not one of {options}", "{value} 不是可选值之一（{options}）"),
    ("pages are numbered from 1", "页码从 1 开始"),
    ("search for at most 100 characters", "搜索内容不超过 100 个字符"),
    ("no cluster {slug} in plan {plan}", "规划 {plan} 中没有集群 {slug}"),
    # Tasks
    ("no task of the plan names the department {name}", "规划中没有任务指定部门 {name}"),
    ("{value} is not a status: {names}", "{value} 不是任务状态：可选 {names}"),
    ("say what was done (the note is empty)", "请填写完成情况（说明为空）"),
    ("the note is longer than {n} characters", "说明超过 {n} 个字符"),
    ("the evidence is longer than {n} characters", "佐证材料超过 {n} 个字符"),
    ("a task reported done needs its evidence (a document, its number or a link)",
     "报告任务已完成时须提供佐证材料（文件、文号或链接）"),
    ("the task names other departments: {names}", "该任务指定的是其他部门：{names}"),
    ("{key} has not ended yet", "{key} 尚未结束"),
    ("form {form} is reported per year, not {key}", "报表 {form} 按年填报，不是 {key}"),
    ("form {form} is reported per quarter, not {key}", "报表 {form} 按季填报，不是 {key}"),
    ("form {form} is reported per month, not {key}", "报表 {form} 按月填报，不是 {key}"),
    ("entry for {period} closed on {date}; ask the province to reopen it", "{period} 的填报已于 {date} 截止；请联系省级管理员重新开放"),
    ("{region} is a {level}; the firms' returns of form {form} are kept per county", "{region}是{level}；报表 {form} 的企业数据按县（区）汇总报送"),
    ("{region} is a {level}; form {form} is reported by each {expected}", "{region}是{level}；报表 {form} 由每个{expected}填报"),
    ("the return for {period} is {status}: ask the approver to return it before changing it", "{period} 的报表状态为{status}：请先由审核人退回再修改"),
    ("the returns of {listed} for {period} are locked: ask the approver to return them before changing them",
     "{listed} 的 {period} 报表已锁定：请先由审核人退回再修改"),
    ("returns of firms ({form}) come as the form's Excel template", "企业报表（{form}）请使用 Excel 模板填报"),
    ("you may not report for the firms of {region} ({code})", "您无权填报{region}（{code}）的企业数据"),
    ("you may not report for {region} ({code})", "您无权填报{region}（{code}）"),
    ("you may not {action} the return of {region} ({code})", "您无权对{region}（{code}）的报表执行“{action}”"),
    ("the role {role} does not report values", "角色 {role} 不能填报数据"),
    ("the role {role} may not do this", "角色 {role} 无权执行此操作"),
    ("cannot {action} a return that is {status}", "状态为{status}的报表不能{action}"),
    ("one of {actions}", "只能是以下之一：{actions}"),
    ("say why the return is sent back", "请说明退回原因"),
    ("{n} flagged value(s) need an explanation before the return is submitted: {cells}",
     "有 {n} 个被标记的数值需要说明后才能提交报表：{cells}"),
    ("say why the value is right (e.g. a new production line started in March)", "请说明该数值正确的原因（例如：三月新生产线投产）"),
    ("keep the explanation under 1000 characters", "说明请少于 1000 字"),
    ("the return is {status}: ask the approver to return it first", "报表状态为{status}：请先由审核人退回"),
    ("you may not explain values of this return", "您无权说明本报表的数值"),
    ("sign in first", "请先登录"),
    # Form definitions
    ("the plan already has a form {form}", "规划中已有报表 {form}"),
    ("entry would lock ({a} days) before the return is due ({b} days)", "填报截止（{a} 天）早于报送期限（{b} 天）"),
    ("a form of firms has one row per firm; it cannot also be split by cluster", "企业报表每家企业一行，不能再按集群拆分"),
    ("unknown indicator {code}", "未知指标 {code}"),
    ("{code} is computed from its parts; report {a} and {b}", "{code} 由其分子分母计算得出；请填报 {a} 和 {b}"),
    ("{code} is in the form twice", "{code} 在报表中出现了两次"),
    ("a rule over child regions compares one indicator on each side", "跨下级地区的规则两边各只能有一个指标"),
    ("max is below min", "上限低于下限"),
    # Rows as JSON
    ("a list of {fields} objects", "应为 {fields} 对象的列表"),
    ("more than {n} values; send them in parts", "超过 {n} 个数值，请分批发送"),
    ("an object with unit, period, indicator, cluster and value", "应为含 unit、period、indicator、cluster、value 的对象"),
    ("not a field of a value ({fields})", "不是数值的字段（{fields}）"),
    ("no {kind} {key}", "没有{kind} {key}"),
    # The enterprise register
    ("{file}: two columns are headed {name}", "{file}：有两列的表头都是 {name}"),
    ("the firm's name is empty: write its registered name", "企业名称为空：请填写企业登记名称"),
    ("{value} is not a county-level region code or name: write its code (e.g. 440106) or its exact name",
     "{value} 不是县级行政区的代码或名称：请填写其代码（如 440106）或准确名称"),
    ("{value} is the name of {n} counties ({candidates}): write the code", "{value} 是 {n} 个县（区）的名称（{candidates}）：请填写代码"),
    ("{value} is not yes or no: write 是 or 否", "{value} 不是“是”或“否”：请填写 是 或 否"),
    ("{value} is not a date: write YYYY-MM-DD (e.g. 2015-03-01)", "{value} 不是日期：请写成 YYYY-MM-DD（如 2015-03-01）"),
    ("{value} is not a GB/T 4754 industry class: write its four digits (e.g. 3976)",
     "{value} 不是 GB/T 4754 行业小类代码：请填写 4 位数字（如 3976）"),
    ("{value} is not a cluster of the plan: write its code (e.g. electronics) or its Chinese name",
     "{value} 不是本规划的集群：请填写集群代码（如 electronics）或中文名称"),
    ("a segment of the chain needs a cluster: write the firm's main cluster first", "填写产业链环节须先填写所属集群（第一个为主集群）"),
    ("longer than {n} characters", "超过 {n} 个字符"),
    ("the land area is empty: no per-mu indicator can be computed for this firm", "用地面积为空：无法计算该企业的亩均指标"),
    ("the land area is 0 亩: no per-mu indicator can be computed for this firm", "用地面积为 0 亩：无法计算该企业的亩均指标"),
    ("the same listing is also in row {row}", "同一认定记录在第 {row} 行已出现"),
    ("the list is empty: write one of {names}", "名单为空：请填写以下之一：{names}"),
    ("{value} is not a list: write one of {names}", "{value} 不是名单：请填写以下之一：{names}"),
    ("the level is empty: write 国家级, 省级, 市级 or 区县级", "级别为空：请填写 国家级、省级、市级 或 区县级"),
    ("{value} is not a level: write 国家级, 省级, 市级 or 区县级", "{value} 不是级别：请填写 国家级、省级、市级 或 区县级"),
    ("{list} is not awarded at {level} (only {levels})", "{list}没有{level}认定（只有{levels}）"),
    ("the date of listing is empty: write YYYY-MM-DD", "认定日期为空：请写成 YYYY-MM-DD"),
    ("the exit date {until} is before the listing date {since}", "退出日期 {until} 早于认定日期 {since}"),
    ("{value} is not a format: write xlsx or csv", "{value} 不是可用的格式：请写 xlsx 或 csv"),
    ("row {n}, {column}", "第 {n} 行 {column}"),
    # Places
    ("line {n}, {column}", "第 {n} 行 {column}"),
    ("line {n}", "第 {n} 行"),
]
WORDS = {  # single words that appear as particulars
    "draft": "草稿", "submitted": "已提交", "returned": "已退回", "approved": "已审核", "accepted": "已接收",
    "not started": "未开始", "submit": "提交", "approve": "审核", "unapprove": "撤销审核", "return": "退回",
    "accept": "接收", "province": "省", "city": "市", "county": "县（区）", "town": "镇", "park": "园区",
    "unit": "单位", "period": "报告期", "indicator": "指标", "form": "报表", "region": "地区", "flag": "标记",
    "cluster": "集群",
}


@lru_cache(maxsize=1)
def _compiled() -> list[tuple[re.Pattern, str]]:
    compiled = []
    for english, chinese in CATALOG:
        pattern, position = "^", 0
        for match in re.finditer(r"\{(\w+)\}", english):
            pattern += re.escape(english[position:match.start()]) + f"(?P<{match.group(1)}>.+?)"
            position = match.end()
        compiled.append((re.compile(pattern + re.escape(english[position:]) + "$", re.S), chinese))
    return compiled


def localize(message: str, lang: str) -> str:
    """The message in `lang` (zh or en); English when no pattern matches."""
    if lang != "zh" or not message:
        return message
    return _translate(message) or message


def translated(message: str) -> bool:
    return _translate(message) is not None


@lru_cache(maxsize=4096)
def _translate(message: str) -> str | None:
    if message in WORDS:
        return WORDS[message]
    for pattern, chinese in _compiled():
        match = pattern.match(message)
        if match:
            parts = {name: _translate(value) or value for name, value in match.groupdict().items()}
            return chinese.format(**parts)
    return None


def localize_result(summary: dict, lang: str) -> dict:
    """An import's answer with each problem's reason in `lang`."""
    if lang != "zh":
        return summary
    out = dict(summary)
    for key in ("errors", "warnings"):
        if key in out:
            out[key] = [{**entry, "reason": localize(entry["reason"], lang), "cell": localize(entry["cell"], lang)}
                        for entry in out[key]]
    return out
