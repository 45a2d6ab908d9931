"""Turn the OpenAPI document into plain data for the documentation page (no JavaScript)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

METHODS = ("get", "post", "put", "patch", "delete")


@dataclass
class TypeInfo:
    text: str  # "integer", "string (date)", "one of: a, b", "list of"
    ref: str | None = None  # a component schema name to link to


@dataclass
class Param:
    name: str
    location: str
    type: TypeInfo
    required: bool
    description: str


@dataclass
class Operation:
    method: str
    path: str
    summary: str
    description: str
    anchor: str
    params: list[Param] = field(default_factory=list)
    body: TypeInfo | None = None
    responses: list[tuple[str, str, TypeInfo | None]] = field(default_factory=list)
    public: bool = False


@dataclass
class Group:
    name: str
    description: str
    operations: list[Operation] = field(default_factory=list)


@dataclass
class Property:
    name: str
    type: TypeInfo
    required: bool
    description: str


def _ref_name(ref: str) -> str:
    return ref.rsplit("/", 1)[-1]


def type_info(schema: dict[str, Any] | None) -> TypeInfo:
    """A short human description of a schema (with the component it refers to)."""
    if not schema:
        return TypeInfo("")
    if "$ref" in schema:
        return TypeInfo("", _ref_name(schema["$ref"]))
    if schema.get("type") == "array":
        inner = type_info(schema.get("items"))
        return TypeInfo(f"list of {inner.text}".strip(), inner.ref)
    text = str(schema.get("type", "object"))
    if "format" in schema:
        text += f" ({schema['format']})"
    if "enum" in schema:
        text += ": " + ", ".join(str(v) for v in schema["enum"])
    if schema.get("nullable"):
        text += ", or null"
    return TypeInfo(text)


def _json_schema(content: dict[str, Any] | None) -> dict[str, Any] | None:
    if not content:
        return None
    media: dict[str, Any] = content.get("application/json") or next(iter(content.values()), {})
    schema: dict[str, Any] | None = media.get("schema")
    return schema


def _operation(path: str, method: str, op: dict[str, Any], secured: bool) -> Operation:
    params = [
        Param(
            name=p["name"],
            location=p.get("in", ""),
            type=type_info(p.get("schema")),
            required=bool(p.get("required")),
            description=p.get("description", ""),
        )
        for p in op.get("parameters", [])
    ]
    body = op.get("requestBody")
    responses = [
        (
            code,
            r.get("description", ""),
            type_info(_json_schema(r.get("content"))) if r.get("content") else None,
        )
        for code, r in sorted(op.get("responses", {}).items())
    ]
    anchor = f"op-{method}-{path}".replace("/", "-").replace("{", "").replace("}", "")
    return Operation(
        method=method.upper(),
        path=path,
        summary=op.get("summary", ""),
        description=op.get("description", ""),
        anchor=anchor,
        params=params,
        body=type_info(_json_schema(body.get("content"))) if body else None,
        responses=responses,
        public=op.get("security") == [] or not secured,
    )


def describe(spec: dict[str, Any]) -> dict[str, Any]:
    """Groups of operations (by tag, in the spec's order) and the component schemas."""
    tags = {t["name"]: Group(t["name"], t.get("description", "")) for t in spec.get("tags", [])}
    secured = bool(spec.get("security"))
    for path, item in spec.get("paths", {}).items():
        for method in METHODS:
            if method not in item:
                continue
            op = item[method]
            tag = (op.get("tags") or ["other"])[0]
            group = tags.setdefault(tag, Group(tag, ""))
            group.operations.append(_operation(path, method, op, secured))
    schemas = []
    for name, schema in sorted(spec.get("components", {}).get("schemas", {}).items()):
        required = set(schema.get("required", []))
        schemas.append(
            (
                name,
                [
                    Property(
                        prop,
                        type_info(details),
                        prop in required,
                        details.get("description", ""),
                    )
                    for prop, details in schema.get("properties", {}).items()
                ],
            )
        )
    return {
        "info": spec.get("info", {}),
        "groups": [g for g in tags.values() if g.operations],
        "schemas": schemas,
    }
