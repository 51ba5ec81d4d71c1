"""YAML reading with line numbers and duplicate-key detection.

PyYAML keeps the last of two equal keys without a word; a catalog edited by hand must not lose
a field that way, so the mapping constructor records every duplicate as a problem. Mappings
come back as `LineDict`, a dict that remembers the line of each key, so the validator can say
`points.yaml:LINE: CODE: message`.
"""

from __future__ import annotations

from typing import Any

import yaml

try:  # libyaml parses about 8 times faster; the pure loader is the fallback
    _Base: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Base = yaml.SafeLoader


class LineDict(dict):
    """A mapping that knows the line it starts on and the line of each key (1-based)."""

    line: int = 0
    key_lines: dict[Any, int]

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, self.line)


class _Loader(_Base):  # type: ignore[misc, valid-type]
    pass


def _construct_map(loader: Any, node: yaml.MappingNode):  # type: ignore[no-untyped-def]
    data = LineDict()
    data.line = node.start_mark.line + 1
    data.key_lines = {}
    yield data
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            loader.problems.append((line, "a mapping key must be a plain value, not a list or mapping"))
            continue
        if key in data:
            loader.problems.append(
                (line, f"duplicate key {key!r} (first at line {data.key_lines[key]}); YAML would keep only the last")
            )
            continue
        data[key] = loader.construct_object(value_node, deep=True)
        data.key_lines[key] = line


_Loader.add_constructor("tag:yaml.org,2002:map", _construct_map)


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def load(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one YAML document; returns the data and the duplicate-key problems found."""
    loader = _Loader(text)
    loader.problems = []
    try:
        data = loader.get_single_data()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlProblem(line, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, loader.problems
