"""Graph API ``fields=`` selection: ``a,b{c,d{e}},reactions.summary(total_count).limit(0)``.

``parse`` turns the string into ``Field`` trees; ``select`` builds a node from the fields a client
asked for, calling edge builders with their sub-selection and modifiers, and fails like Graph on a
field the node type does not have.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any


class FieldError(ValueError):
    """Unknown field on a node: Graph answers (#100) with the field and the node type."""

    def __init__(self, name: str, node_type: str) -> None:
        super().__init__(f"(#100) Tried accessing nonexisting field ({name}) on node type ({node_type})")


@dataclass
class Field:
    name: str
    modifiers: dict[str, str] = field(default_factory=dict)
    children: list[Field] | None = None


def _split_top(text: str, separator: str = ",") -> list[str]:
    parts, depth, current = [], 0, []
    for char in text:
        if char in "{(":
            depth += 1
        elif char in "})":
            depth -= 1
        if char == separator and depth == 0:
            parts.append("".join(current))
            current = []
        else:
            current.append(char)
    parts.append("".join(current))
    return [p.strip() for p in parts if p.strip()]


def parse(text: str | None) -> list[Field] | None:
    if not text:
        return None
    result = []
    for part in _split_top(text):
        children, head = None, part
        if part.endswith("}") and "{" in part:
            brace = _brace_start(part)
            children = parse(part[brace + 1 : -1]) or []
            head = part[:brace]
        name, *modifier_parts = _split_top(head, ".")
        modifiers = {}
        for modifier in modifier_parts:
            key, _, rest = modifier.partition("(")
            modifiers[key] = rest.rstrip(")")
        result.append(Field(name, modifiers, children))
    return result


def _brace_start(part: str) -> int:
    depth = 0
    for index in range(len(part) - 1, -1, -1):
        if part[index] == "}":
            depth += 1
        elif part[index] == "{":
            depth -= 1
            if depth == 0:
                return index
    raise ValueError(part)


Builder = Callable[[Field], Any]


def select(available: dict[str, Any], requested: list[Field] | None, default: list[str], node_type: str) -> dict:
    """The node restricted to ``requested`` fields (or ``default``); values may be builders of a Field."""
    wanted = requested if requested is not None else [Field(name) for name in default]
    node: dict[str, Any] = {}
    for item in wanted:
        if item.name not in available:
            raise FieldError(item.name, node_type)
        value = available[item.name]
        if callable(value):
            value = value(item)
        if value is not None:
            node[item.name] = value
    return node


def limit_of(item: Field, default: int) -> int:
    try:
        return max(0, int(item.modifiers.get("limit", default)))
    except ValueError:
        return default
