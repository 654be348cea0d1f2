"""/v1/models: the registry in OpenAI's list shape, with capabilities."""

from __future__ import annotations

from fastapi import APIRouter, Request

from imagegate.config import ModelSpec
from imagegate.errors import NotFoundError
from imagegate.api.common import context

router = APIRouter(tags=["models"])


def _model_object(name: str, spec: ModelSpec) -> dict:
    obj = {"id": name, "object": "model", "created": spec.created, "owned_by": "imagegate"}
    if name != spec.id:
        obj["alias_for"] = spec.id
    obj.update({"description": spec.description, "engine": spec.engine, "capabilities": spec.capabilities()})
    return obj


@router.get("/models")
async def list_models(request: Request) -> dict:
    """Every model id, snapshot and alias this server answers to."""
    rows = context(request).registry.listed()
    return {"object": "list", "data": [_model_object(name, spec) for name, spec in rows]}


@router.get("/models/{model_id}")
async def retrieve_model(model_id: str, request: Request) -> dict:
    """One model, alias or snapshot."""
    spec = context(request).registry.resolve(model_id)
    if spec is None:
        raise NotFoundError(f"The model '{model_id}' does not exist", param="model", code="model_not_found")
    return _model_object(model_id, spec)
