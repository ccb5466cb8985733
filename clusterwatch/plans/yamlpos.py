"""Load YAML and remember the line of every value, so errors can name the line."""

from __future__ import annotations

from typing import Any

import yaml

Path = tuple[str | int, ...]

# libyaml's parser where PyYAML was built with it: the same nodes, marks and data as the
# pure-Python loader, about eight times faster on the 179 KB Guangdong plan.
Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_with_lines(text: str) -> tuple[Any, dict[Path, int]]:
    """Return the data and a map from each value's path (keys and list indexes) to its line.

    The text is parsed once: the node tree gives the lines and is then constructed into the
    data, as `yaml.safe_load` would construct it."""
    loader = Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    finally:
        loader.dispose()
    lines: dict[Path, int] = {}
    if node is not None:
        _walk(node, (), lines)
    return data, lines


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
