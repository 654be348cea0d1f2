"""The OpenAPI document: typed like OpenAI's, drift from the official spec caught, extensions
marked, no status listed that the server never sends, served only when the setting says so.

The reference is a trimmed copy of openai/openai-openapi's `openapi.yaml` (MIT) in
tests/fixtures/openai_images_openapi.json; tests/fixtures/make_openai_images_openapi.py makes it.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient

from imagegate.api.openapi import DIFFERS, EXT
from imagegate.api.wire import ImageEditRequest, ImageGenerationRequest, ImageVariationRequest
from imagegate.app import build_app
from imagegate.config import load_settings
from imagegate.pipeline import edits, validation

OFFICIAL = json.loads((Path(__file__).resolve().parents[1] / "fixtures" / "openai_images_openapi.json").read_text())
IMAGE_PATHS = {"/images/generations": "/v1/images/generations", "/images/edits": "/v1/images/edits", "/images/variations": "/v1/images/variations"}


@pytest.fixture(scope="module")
def doc(tmp_path_factory) -> dict[str, Any]:
    app = build_app(load_settings(None, data_dir=tmp_path_factory.mktemp("doc") / "data"))
    return app.openapi()


# -- walking schemas --------------------------------------------------------------------------
def resolve(root: dict[str, Any], schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = root["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def branches(root: dict[str, Any], schema: dict[str, Any], *, skip_extensions: bool) -> list[dict[str, Any]]:
    """The schema's alternatives (itself when it has none), resolved, flattened."""
    schema = resolve(root, schema)
    alternatives = schema.get("anyOf") or schema.get("oneOf")
    if not alternatives:
        return [schema]
    out = []
    for branch in alternatives:
        resolved = resolve(root, branch)
        if skip_extensions and (branch.get(EXT) or resolved.get(EXT)):
            continue
        out.extend(branches(root, branch, skip_extensions=skip_extensions))
    return out


def enum_values(root: dict[str, Any], schema: dict[str, Any]) -> set:
    return {v for b in branches(root, schema, skip_extensions=True) for v in b.get("enum", []) if v is not None}


def types(root: dict[str, Any], schema: dict[str, Any]) -> set[str]:
    found = set()
    for b in branches(root, schema, skip_extensions=True):
        t = b.get("type")
        found.update(t if isinstance(t, list) else [t] if t else [])
    return found - {"null"}


def default(root: dict[str, Any], schema: dict[str, Any]) -> Any:
    schema = resolve(root, schema)
    if "default" in schema:
        return schema["default"]
    return next((b["default"] for b in branches(root, schema, skip_extensions=True) if "default" in b), None)


def marked(root: dict[str, Any], schema: dict[str, Any]) -> bool:
    return bool(schema.get(EXT) or resolve(root, schema).get(EXT))


def object_branches(root: dict[str, Any], schema: dict[str, Any], *, skip_extensions: bool) -> dict[str, dict[str, Any]]:
    """Object alternatives by the name they are referenced with (or their position)."""
    schema = resolve(root, schema)
    alternatives = schema.get("anyOf") or schema.get("oneOf") or []
    named = {}
    for i, branch in enumerate(alternatives):
        if skip_extensions and marked(root, branch):
            continue
        if "properties" in resolve(root, branch):
            named[branch.get("$ref", str(i)).rsplit("/", 1)[-1]] = branch
    return named


class Drift:
    """Compares our schemas (in `ours`, our document) with OpenAI's (in `theirs`): field names,
    enums, defaults, required and types; our extras must be marked as extensions."""

    def __init__(self, ours: dict[str, Any], theirs: dict[str, Any] = OFFICIAL) -> None:
        self.ours, self.theirs = ours, theirs
        self.problems: list[str] = []

    def compare(self, ours: dict[str, Any], theirs: dict[str, Any], where: str, depth: int = 0) -> None:
        if depth > 8:
            return
        O, T = self.ours, self.theirs
        ours_schema, theirs_schema = resolve(O, ours), resolve(T, theirs)
        their_objects = object_branches(T, theirs_schema, skip_extensions=False)
        if their_objects:  # a union of objects (stream events): the same members, extras marked
            self.compare_union(object_branches(O, ours_schema, skip_extensions=False), their_objects, where, depth)
            return
        if enum_values(T, theirs_schema) != enum_values(O, ours_schema):
            self.problems.append(f"{where}: enum {sorted(enum_values(O, ours_schema), key=str)} != OpenAI's {sorted(enum_values(T, theirs_schema), key=str)}")
        if default(T, theirs) != default(O, ours) and not (ours.get(DIFFERS) or ours_schema.get(DIFFERS)):
            self.problems.append(f"{where}: default {default(O, ours)!r} != OpenAI's {default(T, theirs)!r} (and not marked {DIFFERS})")
        if types(T, theirs_schema) - types(O, ours_schema):
            self.problems.append(f"{where}: types {types(O, ours_schema)} lack OpenAI's {types(T, theirs_schema)}")
        self.compare_properties(ours_schema, theirs_schema, where, depth)
        their_items = items(T, theirs_schema, skip_extensions=False)
        if their_items is not None:
            our_items = items(O, ours_schema, skip_extensions=True)
            if our_items is None:
                self.problems.append(f"{where}: not an array as OpenAI's")
            else:
                self.compare(our_items, their_items, f"{where}[]", depth + 1)

    def compare_union(self, ours: dict[str, Any], theirs: dict[str, Any], where: str, depth: int) -> None:
        for name, branch in theirs.items():
            if name not in ours:
                self.problems.append(f"{where}: union member {name} missing")
            else:
                self.compare(ours[name], branch, f"{where}|{name}", depth + 1)
        for name, branch in ours.items():
            if name not in theirs and not marked(self.ours, branch):
                self.problems.append(f"{where}: union member {name} is not OpenAI's and not marked {EXT}")

    def compare_properties(self, ours: dict[str, Any], theirs: dict[str, Any], where: str, depth: int) -> None:
        their_props, our_props = theirs.get("properties", {}), ours.get("properties", {})
        if not (their_props or our_props):
            return
        if set(theirs.get("required", [])) != set(ours.get("required", [])):
            self.problems.append(f"{where}: required {sorted(ours.get('required', []))} != OpenAI's {sorted(theirs.get('required', []))}")
        for name, prop in their_props.items():
            if name not in our_props:
                self.problems.append(f"{where}.{name}: missing")
            else:
                self.compare(our_props[name], prop, f"{where}.{name}", depth + 1)
        for name, prop in our_props.items():
            if name not in their_props and not marked(self.ours, prop):
                self.problems.append(f"{where}.{name}: not OpenAI's field and not marked {EXT}")


def items(root: dict[str, Any], schema: dict[str, Any], *, skip_extensions: bool) -> dict[str, Any] | None:
    """The item schema of an array (or of the array alternative of a union)."""
    return next((b["items"] for b in [schema, *branches(root, schema, skip_extensions=skip_extensions)] if "items" in b), None)


def stream_payload(media: dict[str, Any]) -> dict[str, Any]:
    """Our SSE media type describes each event; its `data` holds the JSON OpenAI's schema describes."""
    return media["schema"]["properties"]["data"]["contentSchema"]


@pytest.mark.parametrize("official_path", sorted(IMAGE_PATHS))
def test_image_operations_match_openais_spec(doc, official_path):
    theirs = OFFICIAL["paths"][official_path]["post"]
    ours = doc["paths"][IMAGE_PATHS[official_path]]["post"]
    assert ours["operationId"] == theirs["operationId"]
    drift = Drift(doc)
    for media, body in theirs["requestBody"]["content"].items():
        assert media in ours["requestBody"]["content"], f"request body {media} missing"
        drift.compare(ours["requestBody"]["content"][media]["schema"], body["schema"], f"{official_path} request {media}")
    for media, body in theirs["responses"]["200"]["content"].items():
        assert media in ours["responses"]["200"]["content"], f"200 {media} missing"
        our_media = ours["responses"]["200"]["content"][media]
        our_schema = stream_payload(our_media) if media == "text/event-stream" else our_media["schema"]
        drift.compare(our_schema, body["schema"], f"{official_path} 200 {media}")
    assert not drift.problems, "\n".join(drift.problems)


def test_error_envelope_matches_openais(doc):
    drift = Drift(doc)
    drift.compare({"$ref": "#/components/schemas/ErrorResponse"}, {"$ref": "#/components/schemas/ErrorResponse"}, "ErrorResponse")
    assert not drift.problems, "\n".join(drift.problems)


def test_the_comparison_catches_drift(doc):
    """A renamed field, a changed enum and a changed default are each reported."""
    changed = json.loads(json.dumps(doc))
    props = changed["components"]["schemas"]["CreateImageRequest"]["properties"]
    props["colour"] = props.pop("style")
    props["moderation"]["anyOf"][0]["enum"].append("strict")
    props["n"]["default"] = 2
    drift = Drift(changed)
    drift.compare(changed["components"]["schemas"]["CreateImageRequest"], OFFICIAL["components"]["schemas"]["CreateImageRequest"], "x")
    problems = drift.problems
    assert any("x.style: missing" in p for p in problems)
    assert any("x.colour: not OpenAI's field" in p for p in problems)
    assert any("x.moderation: enum" in p for p in problems)
    assert any("x.n: default 2" in p for p in problems)


# -- the document as a whole ------------------------------------------------------------------
def test_document_is_valid_openapi_3_1(doc):
    assert doc["openapi"].startswith("3.1")
    schemathesis.openapi.from_dict(doc).validate()


def operations(doc: dict[str, Any]):
    for path, item in doc["paths"].items():
        for method, op in item.items():
            yield method, path, op


def test_every_operation_is_typed_and_lists_only_statuses_it_sends(doc):
    ids = [op["operationId"] for _, _, op in operations(doc)]
    assert len(ids) == len(set(ids))
    for method, path, op in operations(doc):
        label = f"{method.upper()} {path}"
        assert "422" not in op["responses"], f"{label} lists FastAPI's 422, which the server never sends"
        assert "_" not in op["operationId"] or op["operationId"] == "usage-images", f"{label}: framework default id"
        assert op["responses"]["200"].get("content"), f"{label}: untyped 200"
        for status, response in op["responses"].items():
            if status != "499":
                assert response.get("content"), f"{label} {status}: no content"
            if int(status) >= 400 and status != "499":
                assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ErrorResponse"}
        if method == "post":
            assert op["requestBody"]["content"], f"{label}: no request body"
    assert not [p for p in doc["paths"] if p.startswith("/openai/v1/")], "the /openai/v1 mirror is described once, under /v1"


def test_extensions_are_marked(doc):
    openai_ops = {"createImage", "createImageEdit", "createImageVariation", "listModels", "retrieveModel", "usage-images",
                  "createImageAzure", "createImageEditAzure", "createImageVariationAzure"}
    for _, path, op in operations(doc):
        if op["operationId"] not in openai_ops:
            assert op.get(EXT) is True, f"{path} is imagegate's own and must say so"
    schemas = doc["components"]["schemas"]
    for name in ("ImageEstimate", "ImageJob", "ApiKey", "BudgetHold", "Health", "ImageStreamErrorEvent"):
        assert schemas[name][EXT] is True
    for name in ("seed", "include_plan"):
        prop = schemas["CreateImageRequest"]["properties"][name]
        assert prop[EXT] is True and prop["description"]
    for name in ("plan", "research"):
        assert schemas["ImagesResponse"]["properties"][name][EXT] is True
    for path in ("/v1/images/generations", "/v1/images/edits", "/v1/images/variations"):
        assert doc["paths"][path]["post"]["responses"]["202"][EXT] is True


def test_statuses_per_route(doc):
    def statuses(method: str, path: str) -> set[str]:
        return set(doc["paths"][path][method]["responses"])

    image = {"200", "202", "400", "401", "404", "413", "429", "499", "500", "503"}
    assert statuses("post", "/v1/images/generations") == image
    assert statuses("post", "/openai/deployments/{deployment}/images/edits") == image
    assert statuses("get", "/v1/models") == {"200"}
    assert statuses("get", "/health") == {"200"}
    assert statuses("get", "/v1/files/images/{name}") == {"200", "403", "404", "410"}
    assert statuses("post", "/v1/admin/keys") == {"200", "400", "401", "403", "413"}
    assert statuses("get", "/v1/images/jobs/{job_id}") == {"200", "401", "404"}
    assert doc["paths"]["/v1/models"]["get"]["security"] == []


def test_azure_routes_are_documented(doc):
    op = doc["paths"]["/openai/deployments/{deployment}/images/generations"]["post"]
    names = {p["name"] for p in op["parameters"]}
    assert {"deployment", "api-version"} <= names
    assert op["requestBody"]["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/CreateImageRequest"}
    assert "AzureApiKeyAuth" in doc["components"]["securitySchemes"]


def test_streams_are_described_event_by_event(doc):
    media = doc["paths"]["/v1/images/edits"]["post"]["responses"]["200"]["content"]["text/event-stream"]["schema"]
    assert media["properties"]["event"]["enum"] == ["image_edit.partial_image", "image_edit.completed", "error"]
    assert stream_payload({"schema": media}) == {"$ref": "#/components/schemas/ImageEditStreamEvent"}


# -- the document and the code stay in step ---------------------------------------------------
def props(doc: dict[str, Any], name: str) -> set[str]:
    return set(doc["components"]["schemas"][name]["properties"])


def test_request_schemas_list_every_field_the_server_reads(doc):
    assert props(doc, "CreateImageRequest") == set(ImageGenerationRequest.model_fields)
    edit_fields = set(ImageEditRequest.model_fields)
    assert props(doc, "CreateImageEditRequest") - {"image", "mask"} <= edit_fields
    assert props(doc, "EditImageBodyJsonParam") <= edit_fields
    assert edit_fields <= props(doc, "CreateImageEditRequest") | props(doc, "EditImageBodyJsonParam")
    assert props(doc, "CreateImageVariationRequest") - {"image"} == set(ImageVariationRequest.model_fields)


def all_values(doc: dict[str, Any], schema: dict[str, Any]) -> set:
    return {v for b in branches(doc, schema, skip_extensions=False) for v in b.get("enum", []) if v is not None}


def test_enums_are_the_values_the_server_accepts(doc):
    gen = doc["components"]["schemas"]["CreateImageRequest"]["properties"]
    assert all_values(doc, gen["output_format"]) == set(validation.OUTPUT_FORMATS)
    assert all_values(doc, gen["background"]) == set(validation.BACKGROUNDS)
    assert all_values(doc, gen["response_format"]) == set(validation.RESPONSE_FORMATS)
    assert all_values(doc, gen["moderation"]) == set(validation.MODERATION_LEVELS)
    assert all_values(doc, gen["style"]) == set(validation.STYLES)
    assert all_values(doc, gen["quality"]) == set(validation.QUALITY_TIERS)
    edit = doc["components"]["schemas"]["CreateImageEditRequest"]["properties"]
    assert all_values(doc, edit["quality"]) == set(validation.QUALITY_TIERS)
    assert all_values(doc, edit["anchor"]) == set(edits.ANCHORS)
    assert all_values(doc, edit["input_fidelity"]) == set(edits.FIDELITIES)


def test_model_enums_and_default_come_from_the_registry(doc):
    model = doc["components"]["schemas"]["CreateImageRequest"]["properties"]["model"]
    assert model["default"] == "gpt-image-2" and model[DIFFERS]
    assert "chatgpt-image-latest" in all_values(doc, model)  # a registry alias OpenAI's generation enum lacks


# -- the setting ------------------------------------------------------------------------------
def test_docs_are_served_by_default(tmp_path):
    with TestClient(build_app(load_settings(None, data_dir=tmp_path / "data", auth=False))) as client:
        served = client.get("/openapi.json")
        assert served.status_code == 200
        assert served.json()["paths"]["/v1/images/generations"]["post"]["operationId"] == "createImage"
        assert client.get("/docs").status_code == 200


def test_docs_can_be_turned_off(tmp_path, monkeypatch):
    monkeypatch.setenv("IMAGEGATE_OPENAPI_DOCS", "false")
    with TestClient(build_app(load_settings(None, data_dir=tmp_path / "data", auth=False))) as client:
        assert client.get("/openapi.json").status_code == 404
        assert client.get("/docs").status_code == 404
        assert client.get("/v1/models").status_code == 200
