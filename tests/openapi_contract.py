"""Checking a real response against the OpenAPI schema the API publishes.

The body is validated against the schema of its operation and status, with
every object closed (`additionalProperties: false`) while checking, so a field
that is served but not documented fails just like a documented field that is
missing or has the wrong type.
"""

import copy
import functools

from drf_spectacular.generators import SchemaGenerator
from openapi_schema_validator import OAS30ReadValidator, oas30_format_checker


@functools.cache
def published_schema():
    """The v1 schema exactly as /api/v1/schema/ serves it."""
    return SchemaGenerator(api_version="v1").get_schema(request=None, public=True)


def closed(schema):
    """A copy of `schema` in which every object with declared properties allows no others."""
    schema = copy.deepcopy(schema)

    def close(node):
        if isinstance(node, dict):
            if "properties" in node and "additionalProperties" not in node:
                node["additionalProperties"] = False
            for value in node.values():
                close(value)
        elif isinstance(node, list):
            for value in node:
                close(value)

    close(schema)
    return schema


def resolve(openapi, node):
    while "$ref" in node:
        _hash, _components, kind, name = node["$ref"].split("/")
        node = openapi["components"][kind][name]
    return node


def assert_matches_schema(openapi, response, path, method="get"):
    """The response's status is documented for the operation and its body has exactly the documented shape."""
    operation = openapi["paths"][path][method]
    status = str(response.status_code)
    assert status in operation["responses"], f"{method.upper()} {path} answered {status}, which is not documented"
    documented = resolve(openapi, operation["responses"][status])
    if "content" not in documented:
        assert not response.content, f"{path} {status} has a body the schema does not describe"
        return
    media_type = response["Content-Type"].split(";")[0]
    assert media_type in documented["content"], f"{path} {status} answered {media_type}"
    body_schema = documented["content"][media_type]["schema"]
    document = closed({"components": openapi["components"], "allOf": [body_schema]})
    validator = OAS30ReadValidator(document, format_checker=oas30_format_checker)
    problems = [
        f"{'/'.join(map(str, error.absolute_path)) or '(body)'}: {error.message}"
        for error in validator.iter_errors(response.json())
    ]
    assert problems == [], f"{path} {status} differs from its schema:\n" + "\n".join(problems)
