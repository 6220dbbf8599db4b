"""OpenAPI schema post-processing: the error answers every endpoint can give, documented once.

drf-spectacular documents what a view's serializers say, i.e. the success answers. Our doors
(accounts/api.py ``OrganizationAPIView``) add the same errors to every endpoint: 401 without
credentials, 403 for a role that may not do this, 404 for another tenant's or a missing object
(never 403: that would reveal it exists), 400 for bad parameters or bodies. Listing them here
keeps the schema true for clients and for the generated-request tests (tests/test_api_fuzz.py).
"""

from typing import Any

DETAIL = {
    "type": "object",
    "properties": {"detail": {"type": "string"}},
    "required": ["detail"],
}
# Validation errors: {"field": ["message", …]} or {"detail": "…"} — DRF's two shapes.
VALIDATION = {"type": "object", "additionalProperties": True}
ERRORS = {
    "400": ("Bad parameters or body: each problem is explained, per field.", VALIDATION),
    "401": ("Not logged in, or the token is invalid or revoked.", DETAIL),
    "403": ("Your role in this organisation does not allow this.", DETAIL),
    "404": ("No such object in this organisation (another tenant's objects look missing too).", DETAIL),
    "405": ("This method is not allowed here.", DETAIL),
}
PUBLIC_PATHS = {"/api/v1/health/"}


def _error(description: str, schema: dict) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": schema}}}


# drf-spectacular calls every post-processing hook with these four arguments.
def add_error_responses(result: dict, generator, request, public) -> dict:
    for path, operations in result.get("paths", {}).items():
        if path in PUBLIC_PATHS:
            continue
        for method, operation in operations.items():
            if method not in {"get", "post", "put", "patch", "delete"}:
                continue
            responses = operation.setdefault("responses", {})
            for code, (description, schema) in ERRORS.items():
                responses.setdefault(code, _error(description, schema))
    return result
