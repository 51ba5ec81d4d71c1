"""YAML reading with line numbers and duplicate-key detection.

PyYAML keeps the last of two equal keys without a word; a catalog edited by hand must not lose
a field that way, so the mapping constructor records every duplicate as a problem. Mappings
come back as `LineDict`, a dict that remembers the line of each key, so the validator can say
`points.yaml:LINE: CODE: message`.

A data file is data: a tag (`!!python/object/apply:...`, `!!binary`, `!foo`) asks a loader to
build something, and an alias of a list or mapping (`*name`) lets a few lines stand for a billion
items or for a list that holds itself. Neither has a place in a catalog or a saved prescription,
so both are refused, with their lines, before anything reads the data.
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
# What the resolver gives a node with no tag of its own: the implied tag behind this mark. A node
# whose tag lacks it had its tag written in the file (`!!str x` too, which the composed tree could
# not otherwise tell from `x`).
_MARK = "implied:"
_MARKED_STR = _MARK + _STR
_MAX_DEPTH = 100  # lists and mappings inside each other; a catalog needs five


def _shown_tag(tag: str) -> str:
    """A tag as it was written: `!!binary`, not `tag:yaml.org,2002:binary`."""
    return "!!" + tag.removeprefix("tag:yaml.org,2002:") if tag.startswith("tag:yaml.org,2002:") else tag


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
                return _MARKED_STR
            tag = self._tags.get(value)
            if tag is None:
                tag = self._tags[value] = _MARK + super().resolve(kind, value, implicit)
            return tag
        return _MARK + super().resolve(kind, value, implicit)


def _to_python(loader: Any, root: yaml.Node, problems: list[tuple[int, str]], refused: list[tuple[int, str]]) -> Any:
    """The data of a composed node tree: mappings as LineDict, duplicate keys reported in
    `problems`; a tag, an alias of a list or mapping, or nesting past _MAX_DEPTH in `refused`
    (such a node stands as None in the data, which the caller then throws away).

    PyYAML's constructor spends most of a large file's load on generic bookkeeping per node;
    a catalog is plain mappings, lists and scalars, so strings are taken as they are and only
    other scalars (numbers, booleans, null, dates) go through PyYAML's own constructors.
    """
    seen: set[int] = set()  # an alias is the same node met again
    scalar, sequence, mapping = yaml.ScalarNode, yaml.SequenceNode, yaml.MappingNode
    constructors = loader.yaml_constructors
    depth = 0

    def refuse_tag(node: yaml.Node) -> bool:
        """Whether the node has a tag written in the file (then noted as refused)."""
        if node.tag.startswith(_MARK):
            return False
        refused.append((node.start_mark.line + 1, f"tags are not allowed ({_shown_tag(node.tag)}); write plain values"))
        return True

    def convert(node: yaml.Node) -> Any:
        nonlocal depth
        tag = node.tag
        if node.__class__ is scalar:
            if tag == _MARKED_STR:
                return node.value
            if refuse_tag(node):
                return None
            implied = tag[len(_MARK) :]
            make = constructors.get(implied)
            if make is None:  # PyYAML's own answer: `<<` and `=` have no constructor in the safe loader
                return loader.construct_object(yaml.ScalarNode(implied, node.value, node.start_mark), deep=True)
            return make(loader, node)
        if refuse_tag(node):
            return None
        line = node.start_mark.line + 1
        key = id(node)
        if key in seen:
            refused.append((line, "a list or mapping used again through an alias (*name); write the values out"))
            return None
        seen.add(key)
        if depth >= _MAX_DEPTH:
            refused.append((line, f"lists and mappings nested more than {_MAX_DEPTH} deep"))
            return None
        depth += 1
        try:
            if node.__class__ is sequence:
                return [convert(item) for item in node.value]
            if node.__class__ is not mapping:  # pragma: no cover - PyYAML has no other node kinds
                return None
            return convert_mapping(node, line)
        finally:
            depth -= 1

    def convert_mapping(node: yaml.Node, start: int) -> LineDict:
        out = LineDict()
        out.line = start
        lines = out.key_lines = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            if refuse_tag(key_node):
                continue
            if key_node.__class__ is not scalar:
                problems.append((line, "a mapping key must be a plain value, not a list or mapping"))
                continue
            k = key_node.value if key_node.tag == _MARKED_STR else convert(key_node)
            if value_node.__class__ is not scalar and id(value_node) in seen:  # an alias: say where it is
                refused.append((line, f"{k}: an alias of a list or mapping (*name) is not allowed; write it out"))
                continue
            if k in lines:
                first = lines[k]
                problems.append((line, f"duplicate key {k!r} (first at line {first}); YAML would keep only the last"))
                continue
            out[k] = convert(value_node)
            lines[k] = line
        return out

    return convert(root)


class YamlProblem(Exception):
    """The file cannot be used as data: `line` and `message` say the first reason, `problems`
    every one as (line, message)."""

    def __init__(self, line: int, message: str, more: list[tuple[int, str]] | None = None) -> None:
        self.line = line
        self.message = message
        self.problems = [(line, message), *(more or [])]
        super().__init__(message)


def load(text: str) -> tuple[Any, list[tuple[int, str]]]:
    """Parse one YAML document; returns the data and the duplicate-key problems found.
    YamlProblem if it is not YAML, or holds a tag or an alias of a list or mapping."""
    loader = _Loader(text)
    loader._tags = {}
    problems: list[tuple[int, str]] = []
    refused: list[tuple[int, str]] = []
    try:
        node = loader.get_single_node()
        data = _to_python(loader, node, problems, refused) if node is not None else None
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        raise YamlProblem(line, f"not valid YAML: {exc.problem or exc.context}") from None
    except yaml.YAMLError as exc:
        raise YamlProblem(0, f"not valid YAML: {exc}") from None
    finally:
        loader.dispose()
    if refused:
        raise YamlProblem(*refused[0], refused[1:])
    return data, problems
