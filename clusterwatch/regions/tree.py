"""The region tree read once: ancestors, subtrees and the city of a county.

Permissions, completeness, rules over child regions and the register all walk the tree; a
province's tree is a few hundred rows, so it is read in one query and kept for the session
(a plan load, the only thing that changes regions, forgets it).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from clusterwatch.regions.models import Region

_KEY = "clusterwatch.region_tree"


@dataclass(frozen=True)
class RegionTree:
    parent: dict[str, str | None]
    level: dict[str, str]
    children: dict[str, list[str]] = field(default_factory=dict)

    def __contains__(self, code: object) -> bool:
        return code in self.parent

    def ancestors(self, code: str) -> list[str]:
        """The regions above `code`, nearest first (a county's city, then its province)."""
        chain, current = [], self.parent.get(code)
        while current is not None:
            chain.append(current)
            current = self.parent.get(current)
        return chain

    def within(self, code: str, region: str) -> bool:
        """Whether `code` is `region` or lies below it."""
        return code == region or region in self.ancestors(code)

    def subtree(self, code: str) -> set[str]:
        """`code` and every region below it."""
        found, stack = set(), [code]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(self.children.get(current, ()))
        return found

    def city_of(self, code: str) -> str | None:
        """The prefecture city a region is or lies in (None for the province itself)."""
        for candidate in [code, *self.ancestors(code)]:
            if self.level.get(candidate) == "city":
                return candidate
        return None


def region_tree(session: Session) -> RegionTree:
    """The tree as the database holds it, read once per session."""
    tree = session.info.get(_KEY)
    if tree is None:
        parent: dict[str, str | None] = {}
        level: dict[str, str] = {}
        children: dict[str, list[str]] = {}
        for code, parent_code, region_level in session.execute(
                select(Region.code, Region.parent_code, Region.level).order_by(Region.sort_order, Region.code)):
            parent[code], level[code] = parent_code, region_level
            if parent_code is not None:
                children.setdefault(parent_code, []).append(code)
        tree = session.info[_KEY] = RegionTree(parent, level, children)
    return tree


def forget_region_tree(session: Session) -> None:
    """Drop the session's copy after the regions changed."""
    session.info.pop(_KEY, None)
