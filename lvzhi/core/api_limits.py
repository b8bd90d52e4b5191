"""The length limits of the API's text inputs, read from the request-body schemas of its operations
(docs/api-limits.md is this module's output; tests/api/test_api_limits.py checks that the file matches the
code and that no text input is left without a limit).

``python -m lvzhi.core.api_limits`` prints the Markdown page: for every request body schema (JSON bodies,
the schemas nested in them, and multipart form fields), every text field with its largest length in
characters (``maxLength``), or "未在接口上限制" where the schema states none. The limits come from
:mod:`lvzhi.core.text_limits` and the models' columns.

The schemas are read from the operations themselves rather than from /api/openapi.json: several apps have
schemas of the same class name (``CommentIn`` in proposals, cases and legislation…), and django-ninja keeps
only one of each name in the OpenAPI document's components, so the document alone would hide some inputs.
A name shared by several classes is shown with the class's module (``CommentIn (lvzhi.cases.api)``).
Source: issue "Production …", item 3 ("every text field has a length limit stated in the docs").
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ninja import NinjaAPI

#: What the page writes for a text input without a limit.
UNLIMITED = "未在接口上限制"
_NOT_TEXT = ("date", "date-time", "binary", "uri", "email", "time", "duration")


def _text_fields(schema: dict[str, Any]) -> list[tuple[str, int | None]]:
    """``[(field, maxLength or None)]`` of a JSON schema's text properties (strings that are not dates,
    files or enumerations), sorted by name."""
    fields: list[tuple[str, int | None]] = []
    for name, prop in sorted(schema.get("properties", {}).items()):
        if "enum" in prop or "const" in prop:
            continue
        options = prop.get("anyOf", [prop])
        strings = [o for o in options if o.get("type") == "string" and o.get("format") not in _NOT_TEXT
                   and "enum" not in o and "const" not in o]
        if strings and not any("$ref" in o for o in options):
            fields.append((name, strings[0].get("maxLength", prop.get("maxLength"))))
    return fields


@dataclass
class InputSchema:
    """One request-body schema: its shown ``name``, the operations taking it (``"POST /api/…"``) and its
    text fields with their limit in characters (``None``: no limit)."""

    name: str
    operations: set[str] = field(default_factory=set)
    fields: list[tuple[str, int | None]] = field(default_factory=list)


def _body_models(api: NinjaAPI, path_prefix: str) -> list[tuple[str, Any, str]]:
    """``[(operation, pydantic model class or None, label)]``: the body/form inputs of every operation. A JSON
    body gives its schema class; form fields give the operation's own form model (label ``form fields``)."""
    out: list[tuple[str, Any, str]] = []
    for bound in api._get_bound_routers():
        for path, view in bound.path_operations.items():
            full = "/" + "/".join(p.strip("/") for p in (path_prefix, bound.prefix, path) if p.strip("/"))
            full = re.sub(r"{[^}:]+:", "{", full)
            for op in view.operations:
                for method in op.methods:
                    name = f"{method} {full}"
                    for model in op.models:
                        source = getattr(model, "__ninja_param_source__", "")
                        if source == "body":
                            for f in model.model_fields.values():
                                if hasattr(f.annotation, "model_json_schema"):
                                    out.append((name, f.annotation, ""))
                        elif source == "form":
                            out.append((name, model, f"form fields of {name}"))
    return out


def input_schemas(api: NinjaAPI, path_prefix: str = "/api/") -> list[InputSchema]:
    """Every schema a request body of ``api`` uses (nested ones included), by shown name."""
    by_class: dict[Any, InputSchema] = {}
    names: dict[str, set[str]] = defaultdict(set)
    found: list[tuple[str, str, str, dict[str, Any]]] = []  # (operation, name, module, schema)
    for operation, model, label in _body_models(api, path_prefix):
        schema = model.model_json_schema()
        if label:
            found.append((operation, label, "", schema))
            continue
        found.append((operation, model.__name__, model.__module__, schema))
        for nested_name, nested in schema.get("$defs", {}).items():
            found.append((operation, nested_name, model.__module__, nested))
    for _op, name, module, _schema in found:
        names[name].add(module)
    for operation, name, module, schema in found:
        shown = f"{name} ({module})" if len(names[name]) > 1 else name
        entry = by_class.setdefault(shown, InputSchema(shown, fields=_text_fields(schema)))
        entry.operations.add(operation)
    return sorted(by_class.values(), key=lambda s: s.name)


def unlimited(api: NinjaAPI) -> list[str]:
    """``["Schema.field"]`` of every text input without a length limit (the aim: none)."""
    return [f"{s.name}.{f}" for s in input_schemas(api) for f, limit in s.fields if limit is None]


def limits_markdown(api: NinjaAPI) -> str:
    """The Markdown page listing every text input of every request body and its limit."""
    lines = ["# API text inputs and their length limits", "",
             "Generated by `python -m lvzhi.core.api_limits` from the request-body schemas of the API's "
             "operations; tests/api/test_api_limits.py fails when this page and the code differ, or when a text "
             "input has no limit. The limits are those of lvzhi/core/text_limits.py and of the models' columns.",
             "A longer value is refused with 422 naming the field (「字段「x」不能超过 n 个字」).", ""]
    for schema in input_schemas(api):
        if not schema.fields:
            continue
        lines += [f"## {schema.name}", "", "Used by: " + ", ".join(f"`{o}`" for o in sorted(schema.operations)),
                  "", "| field | max characters |", "|---|---|"]
        lines += [f"| `{name}` | {limit if limit is not None else UNLIMITED} |" for name, limit in schema.fields]
        lines.append("")
    return "\n".join(lines)


def main() -> None:
    import django

    django.setup()
    from lvzhi.api import api

    print(limits_markdown(api), end="")


if __name__ == "__main__":
    import os

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lvzhi.settings")
    main()
