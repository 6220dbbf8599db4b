"""Compare JSON structures: the simulator's answers against recorded real API responses.

``schema(*documents)`` merges one or more recorded bodies into a structure (types per path, keys of
objects, shape of list items); ``shape_problems(schema, body)`` lists where ``body`` departs from it:
a key the API never returned, another JSON type, another nesting. Keys the recording has and the
body lacks are allowed (optional fields); ``required`` names paths that must be present.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int | float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    if isinstance(value, dict):
        return "object"
    raise TypeError(type(value))


@dataclass
class Schema:
    types: set[str] = field(default_factory=set)
    keys: dict[str, Schema] = field(default_factory=dict)
    items: Schema | None = None

    def absorb(self, value: Any) -> Schema:
        self.types.add(json_type(value))
        if isinstance(value, dict):
            for key, item in value.items():
                self.keys.setdefault(key, Schema()).absorb(item)
        elif isinstance(value, list):
            for item in value:
                if self.items is None:
                    self.items = Schema()
                self.items.absorb(item)
        return self


def schema(*documents: Any) -> Schema:
    merged = Schema()
    for document in documents:
        merged.absorb(document)
    return merged


def shape(value: Any) -> Any:
    """A readable skeleton of a JSON value: types instead of values, first list item only."""
    if isinstance(value, dict):
        return {key: shape(item) for key, item in value.items()}
    if isinstance(value, list):
        return [shape(value[0])] if value else []
    return json_type(value)


def shape_problems(expected: Schema, body: Any, path: str = "$", required: tuple[str, ...] = ()) -> list[str]:
    problems: list[str] = []
    kind = json_type(body)
    if expected.types and kind not in expected.types and "null" not in expected.types:
        return [f"{path}: {kind} where the API returns {'/'.join(sorted(expected.types))}"]
    if isinstance(body, dict):
        for key, item in body.items():
            if key not in expected.keys:
                problems.append(f"{path}.{key}: key the API does not return")
            else:
                problems += shape_problems(expected.keys[key], item, f"{path}.{key}")
    elif isinstance(body, list) and expected.items is not None:
        for index, item in enumerate(body[:20]):
            problems += shape_problems(expected.items, item, f"{path}[{index}]")
    for wanted in required:
        if _lookup(body, wanted) is _MISSING:
            problems.append(f"{wanted}: required but missing")
    return problems


_MISSING = object()


def _lookup(body: Any, dotted: str) -> Any:
    current = body
    for part in dotted.split("."):
        if isinstance(current, list):
            current = current[0] if current else _MISSING
        if not isinstance(current, dict) or part not in current:
            return _MISSING
        current = current[part]
    return current


def assert_same_shape(recorded: Any, body: Any, *, required: tuple[str, ...] = ()) -> None:
    expected = recorded if isinstance(recorded, Schema) else schema(recorded)
    problems = shape_problems(expected, body, required=required)
    assert not problems, "simulated response departs from the recorded shape:\n" + "\n".join(problems)
