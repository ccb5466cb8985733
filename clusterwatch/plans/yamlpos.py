"""Load YAML and remember the line of every value, so errors can name the line."""

from __future__ import annotations

from typing import Any

import yaml

Path = tuple[str | int, ...]


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Return the data and a map from each value's path (keys and list indexes) to its line."""
    node = yaml.compose(text, Loader=yaml.SafeLoader)
    lines: dict[Path, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return yaml.safe_load(text), lines


def _walk(node: yaml.Node, path: Path, lines: dict[Path, int]) -> None:
    lines[path] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            _walk(value, path + (key.value,), lines)
            lines[path + (key.value,)] = key.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _walk(item, path + (index,), lines)


def nearest_line(lines: dict[Path, int], path: Path) -> int | None:
    """The line of `path`, or of its closest ancestor that has one."""
    while True:
        if path in lines:
            return lines[path]
        if not path:
            return None
        path = path[:-1]
