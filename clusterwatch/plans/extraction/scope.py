"""Who or what a figure is about: a cluster, a sub-cluster, the province.

Names come from the documents themselves, so any region's plans work: the rows of the layout
matrices, the subjects of plan titles (广东省培育X产业集群行动计划, also for each annex of a
document bundling several plans), and the named regional clusters that open box items
(佛山先进材料产业集群。…). Spelling variants are matched (半导体及集成电路 / 半导体与集成电路,
汽车 / 汽车产业, 家电 / 智能家电).
"""

from __future__ import annotations

import re

from clusterwatch.plans.extraction.reading import SourceDocument
from clusterwatch.plans.extraction.text import normalise_line
from clusterwatch.plans.star_matrix import parse_all_star_matrices

TITLE_SUBJECT = re.compile(r"(?:发展|培育|壮大)(?P<name>[\u4e00-\u9fff]{2,12}?)(?:战略性(?:支柱|新兴))?产业集群(?:行动|的意见)")
NAMED_CLUSTER = re.compile(r"^(?:\*\*)?\s*\d*\s*[.．、]?\s*(?P<name>[\u4e00-\u9fff]{2,16}?产业集群)[。：:]")
# A box item opens with a name, not with a verb: 打造形成…产业集群。 continues a sentence.
VERBS = ("打造", "形成", "建设", "推动", "培育", "发展", "加快", "支持", "建成", "壮大")
PROVINCE = re.compile(r"全省|我省")
GROUP = re.compile(r"(?:十大)?战略性(?P<kind>支柱|新兴)产业(?:集群)?")
QUALIFYING_PREFIXES = ("新一代", "智能", "绿色", "现代", "先进")


def canonical(name: str) -> str:
    """One spelling per cluster name: 及 as 与, no trailing 产业/集群/制造业."""
    name = name.replace("及", "与").replace("和", "与")
    return re.sub(r"(?:产业集群|产业|集群|制造业)$", "", name)


def variants(name: str) -> set[str]:
    base = canonical(name)
    found = {base, base.replace("与", "及"), base.replace("与", "和")}
    for prefix in QUALIFYING_PREFIXES:
        rest = base[len(prefix):]
        if base.startswith(prefix) and len(rest) >= 3:
            found.add(rest)  # 电子信息 for 新一代电子信息
        elif base.startswith(prefix) and len(rest) == 2:
            # 家电产业 for 智能家电, 石化产业 for 绿色石化; a bare 材料 is too common a word.
            found.add(rest + "产业")
    return {v for v in found if len(v) >= 2}


class ScopeResolver:
    def __init__(self, documents: list[SourceDocument], known: list[str] | tuple[str, ...] = ()):
        """`known`: cluster names a plan already holds (its names and aliases), besides the documents' own."""
        names: set[str] = set(known)
        for document in documents:
            for matrix in parse_all_star_matrices(document.lines):
                names.update(row.name for row in matrix.rows)
        self.subjects: dict[str, list[tuple[int, str]]] = {}
        # A provincial document's figures without a named subject are the province's.
        self.regions: dict[str, str] = {}
        for document in documents:
            head = "".join(normalise_line(line)[0] for line in document.lines[:30])
            level = re.search(r"[\u4e00-\u9fff]{2,3}(省|市)(?:人民政府|工业和信息化厅|科学技术厅|发展和改革委员会)", head)
            if level:
                self.regions[document.file] = "全" + level.group(1)
        for document in documents:
            marks: list[tuple[int, str]] = []
            for number, line in enumerate(document.lines[:], start=1):
                text = normalise_line(line)[0] + (normalise_line(document.lines[number])[0] if number < len(document.lines) else "")
                match = TITLE_SUBJECT.search(text)
                # 培育发展战略性支柱产业集群和战略性新兴产业集群的意见 names no one cluster.
                if match and len(normalise_line(line)[0]) <= 60 and not re.search(r"战略性|产业|集群", match.group("name")):
                    if not marks or marks[-1][1] != match.group("name"):
                        marks.append((number, match.group("name")))
                        names.add(match.group("name"))
            self.subjects[document.file] = marks
        self.lookup: dict[str, str] = {}
        for name in sorted(names, key=len):
            for variant in variants(name):
                self.lookup.setdefault(variant, canonical(name))
        # Longest first, so that 前沿新材料 is found before 新材料.
        self.pattern = re.compile("|".join(re.escape(v) for v in sorted(self.lookup, key=len, reverse=True))) if self.lookup else None

    def subject(self, document: str, line: int) -> str | None:
        current = None
        for start, name in self.subjects.get(document, []):
            if start <= line:
                current = canonical(name)
        return current

    def resolve(self, document: str, sentence: str, index: int, line: int, named: str | None = None,
                section: str | None = None) -> str:
        """The scope of the figure at `index`: a cluster named in its clause, the regional
        cluster whose box item it is in (`named`), a cluster named earlier in the sentence,
        the cluster of the section's heading, the plan's own subject, or the plan's region."""
        before = sentence[:index]
        clause_start = max(before.rfind(sep) for sep in "，,。；;：:") + 1
        clause = before[clause_start:]
        # The nearer of a cluster name and a group name in the clause decides: in
        # …现代农业与食品等十大战略性支柱产业集群2019年营业收入合计达15万亿元 the figure is the group's.
        names = [m for m in self.pattern.finditer(before) if m.start() >= clause_start] if self.pattern else []
        groups = list(GROUP.finditer(before))
        group_in_clause = [g for g in groups if g.start() >= clause_start]
        if names and (not group_in_clause or names[-1].end() > group_in_clause[-1].end()):
            return self.lookup[names[-1].group(0)]
        if "占全省" in clause or "占我省" in clause:
            return "全省"  # a share of the province's total is the province's figure
        if groups:
            return f"战略性{groups[-1].group('kind')}产业集群"
        if named:
            return named
        in_sentence = self._last_name(sentence[:index])
        if in_sentence:
            return in_sentence
        if section:
            return section
        subject = self.subject(document, line)
        if subject:
            return subject
        return "全省" if PROVINCE.search(sentence[:index]) else self.regions.get(document, "")

    def cluster_name(self, text: str) -> str | None:
        """The cluster a phrase names, if it names exactly one known cluster."""
        text = re.sub(r"^(?:加快发展|加快培育|发展|培育|加快|壮大)", "", text)
        return self.lookup.get(canonical(text)) or self.lookup.get(text)

    def heading_cluster(self, heading: str) -> str | None:
        """The cluster a section heading names (7. 软件与信息服务), if any."""
        return self._last_name(heading)

    def _last_name(self, text: str) -> str | None:
        if not self.pattern:
            return None
        found = list(self.pattern.finditer(text))
        return self.lookup[found[-1].group(0)] if found else None


def named_cluster(sentence: str) -> str | None:
    """佛山先进材料产业集群。 opening a box item names the cluster the item is about."""
    match = NAMED_CLUSTER.match(sentence)
    if not match or match.group("name").startswith(VERBS):
        return None
    return match.group("name")
