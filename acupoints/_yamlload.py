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


_STR = "tag:yaml.org,2002:str"


class _Loader(_Base):
    """PyYAML's loader, with a faster tag resolver for plain scalars.

    PyYAML resolves every plain scalar in Python by trying the implicit regexes for its first
    character (about 3 us each, a third of a large catalog's parse). A scalar whose first
    character starts no implicit type is a string, and a value seen before resolves as it did
    then; both shortcuts give PyYAML's own answer, as the safe loader has no path resolvers.
    """

    _starters = frozenset(k for k in _Base.yaml_implicit_resolvers if k)  # type: ignore[attr-defined]

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and implicit[0] and not self.yaml_path_resolvers:
            if value and value[0] not in self._starters and None not in self.yaml_implicit_resolvers:
                return _STR
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = super().resolve(kind, value, implicit)
            return tag
        return super().resolve(kind, value, implicit)


def _to_python(loader: Any, root: yaml.Node, problems: list[tuple[int, str]]) -> Any:
    """The data of a composed node tree: mappings as LineDict, duplicate keys reported.

    PyYAML's constructor spends most of a large file's load on generic bookkeeping per node;
    a catalog is plain mappings, lists and scalars, so strings are taken as they are and only
    other scalars (numbers, booleans, null, dates) go through PyYAML's own constructors.
    """
    done: dict[int, Any] = {}  # an alias is the same node: convert a collection once
    scalar, sequence, mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode

    def convert(node: yaml.Node) -> Any:
        cls = node.__class__
        if cls is scalar:
            return node.value if node.tag == _STR else loader.construct_object(node, deep=True)
        key = id(node)
        if key in done:
            return done[key]
        if cls is sequence:
            seq: list[Any] = []
            done[key] = seq
            seq.extend([convert(item) for item in node.value])
            return seq
        if cls is not mapping:  # pragma: no cover - PyYAML has no other node kinds
            return loader.construct_object(node, deep=True)
        out = done[key] = LineDict()
        out.line = node.start_mark.line + 1
        lines = out.key_lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if key_node.__class__ is not scalar:
                problems.append((line, "a mapping key must be a plain value, not a list or mapping"))
                continue
            k = key_node.value if key_node.tag == _STR else convert(key_node)
            if k in lines:
                first = lines[k]
                problems.append((line, f"duplicate key {k!r} (first at line {first}); YAML would keep only the last"))
                continue
            out[k] = convert(value_node)
            lines[k] = line
        return out

    return convert(root)


class YamlProblem(Exception):
    def __init__(self, line: int, message: str) -> None:
        self.line = line
        self.message = message
        super().__init__(message)


def load(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one YAML document; returns the data and the duplicate-key problems found."""
    loader = _Loader(text)
    loader._tags = {}
    problems: list[tuple[int, str]] = []
    try:
        node = loader.get_single_node()
        data = _to_python(loader, node, problems) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlProblem(line, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    return data, problems
