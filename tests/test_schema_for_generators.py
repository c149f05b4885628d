"""The published schema is one that client generators can use as it is.

The generated clients themselves are built and run against a live server by
ci/clients.sh; these tests pin the properties of the schema they rely on.
"""

import pathlib
import re

import pytest
from packaging.version import Version

from content.delivery.api.errors import ErrorCode
from tests.openapi_contract import published_schema, resolve

ROOT = pathlib.Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def openapi():
    return published_schema()


def referenced(node):
    """The component a property points to, directly or as drf-spectacular's allOf-with-a-description."""
    if "allOf" in node:
        (node,) = node["allOf"]
    return node["$ref"].rsplit("/", 1)[1]


def operations(openapi):
    for path, methods in openapi["paths"].items():
        for method, operation in methods.items():
            yield f"{method.upper()} {path}", operation


def test_the_version_is_a_package_version_and_the_url_version_is_said_apart(openapi):
    assert str(Version(openapi["info"]["version"])) == openapi["info"]["version"] == "1.0.0"
    assert openapi["info"]["x-api-version"] == "v1"


def test_the_api_key_is_declared_once_as_optional(openapi):
    assert openapi["components"]["securitySchemes"]["ApiKey"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
        "description": openapi["components"]["securitySchemes"]["ApiKey"]["description"],
    }
    # "No key, or the key": an anonymous call is as valid as a keyed one.
    assert openapi["security"] == [{}, {"ApiKey": []}]
    # An operation-level requirement would make openapi-python-client demand an AuthenticatedClient.
    assert [name for name, operation in operations(openapi) if "security" in operation] == []


def test_each_kind_of_block_is_its_own_component_told_apart_by_type(openapi):
    block = openapi["components"]["schemas"]["Block"]
    kinds = {"heading": "HeadingBlock", "paragraph": "ParagraphBlock", "list": "ListBlock", "figure": "FigureBlock"}
    assert block["discriminator"] == {
        "propertyName": "type",
        "mapping": {kind: f"#/components/schemas/{name}" for kind, name in kinds.items()},
    }
    assert [item["$ref"].rsplit("/", 1)[1] for item in block["oneOf"]] == list(kinds.values())
    for kind, name in kinds.items():
        component = openapi["components"]["schemas"][name]
        assert resolve(openapi, component["properties"]["type"])["enum"] == [kind]
        assert "type" in component["required"]
    assert openapi["components"]["schemas"]["ArticleDetail"]["properties"]["blocks"]["items"] == {
        "$ref": "#/components/schemas/Block"
    }


def untyped_objects(node, where=""):
    """Places where the schema says only "an object", with nothing about its members."""
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" not in node and not node.get("additionalProperties"):
            yield where
        if node.get("additionalProperties") == {}:
            yield where + "/additionalProperties"
        for key, value in node.items():
            yield from untyped_objects(value, f"{where}/{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from untyped_objects(value, f"{where}/{index}")


def test_no_response_part_is_an_untyped_object(openapi):
    assert list(untyped_objects(openapi["components"]["schemas"])) == []


def test_readability_parts_are_typed(openapi):
    schemas = openapi["components"]["schemas"]
    readability = schemas["Readability"]["properties"]
    assert referenced(readability["target"]) == "ReadabilityTarget"
    assert referenced(readability["sentences"]) == "SentenceStatistics"
    assert referenced(readability["other_scores"]["items"]) == "OtherScore"
    assert referenced(schemas["Language"]["properties"]["levels"]) == "Levels"
    assert set(schemas["Levels"]["required"]) == {"standard", "plain"}


def test_error_codes_are_one_enum_of_every_code_the_api_emits(openapi):
    code = openapi["components"]["schemas"]["ErrorDetail"]["properties"]["code"]
    assert referenced(code) == "ErrorCodeEnum"
    enum = openapi["components"]["schemas"]["ErrorCodeEnum"]["enum"]
    assert enum == [code.value for code in ErrorCode]
    # Every code written on the read side, which answers every API request, is in the enum.
    emitters = re.compile(
        r"""(?:ApiError|error_body|NegotiationError|InvalidCursor)\(\s*["']([a-z_]+)["']"""
        r"""|return\s+["']([a-z_]+)["'],\s*_\("""
        r"""|return\s+\(\s*["']([a-z_]+)["']\s+if\s"""
    )
    emitted = set()
    for source in (ROOT / "content" / "delivery").rglob("*.py"):
        for match in emitters.finditer(source.read_text(encoding="utf-8")):
            emitted.add(next(group for group in match.groups() if group))
    assert {"unsupported_language", "page_out_of_range", "cursor_from_future", "server_error"} <= emitted
    assert emitted - set(enum) == set()


@pytest.mark.parametrize("status, name", [("405", "MethodNotAllowed"), ("406", "NotAcceptable"),
                                          ("429", "TooManyRequests"), ("500", "ServerError"),
                                          ("503", "ServiceUnavailable")])
def test_errors_any_call_can_meet_are_documented_on_every_operation_with_the_error_shape(openapi, status, name):
    for operation_name, operation in operations(openapi):
        assert operation["responses"][status] == {"$ref": f"#/components/responses/{name}"}, operation_name
    response = openapi["components"]["responses"][name]
    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}


def test_retry_after_is_documented_where_it_is_sent(openapi):
    for name in ("TooManyRequests", "ServiceUnavailable"):
        assert "Retry-After" in openapi["components"]["responses"][name]["headers"]
    assert "Allow" in openapi["components"]["responses"]["MethodNotAllowed"]["headers"]


@pytest.mark.django_db
def test_a_method_the_api_does_not_answer_is_the_documented_405(client):
    from tests.openapi_contract import assert_matches_schema

    response = client.post("/api/v1/articles/", {}, content_type="application/json")

    assert response.status_code == 405
    assert response.json()["error"]["code"] == "method_not_allowed"
    assert "GET" in response["Allow"]
    # The 405 is documented on the path's GET operation, the only one it has.
    openapi = published_schema()
    assert_matches_schema(openapi, response, "/api/v1/articles/")


def test_an_address_too_long_for_the_web_server_is_documented_without_a_json_body(openapi):
    for operation_name, operation in operations(openapi):
        assert operation["responses"]["414"] == {"$ref": "#/components/responses/UriTooLong"}, operation_name
    assert "content" not in openapi["components"]["responses"]["UriTooLong"]


def test_every_string_parameter_is_bounded_so_a_valid_address_fits_the_request_line(openapi):
    """gunicorn refuses a request line over 4094 bytes: the longest valid query, percent-encoded, stays under it."""
    for operation_name, operation in operations(openapi):
        longest = len(f"GET {operation_name.split()[1]}? HTTP/1.1")
        for parameter in operation.get("parameters", []):
            if parameter["in"] not in ("query", "path"):
                continue
            schema = resolve(openapi, parameter["schema"])
            if "enum" in schema:
                value_bytes = max(len(value) for value in schema["enum"])
            elif schema.get("type") == "integer":
                value_bytes = 19
            elif {part.get("format") for part in schema.get("anyOf", [schema])} <= {"date", "date-time"}:
                value_bytes = 3 * 40
            else:
                assert "maxLength" in schema, f"{operation_name}: {parameter['name']} has no maxLength"
                # ASCII patterns: at most 3 bytes a character percent-encoded; any text: 4 UTF-8 bytes, 12.
                value_bytes = (3 if "pattern" in schema else 12) * schema["maxLength"]
            longest += len(parameter["name"]) + 2 + value_bytes
        assert longest < 4094, operation_name
