"""The worker API's OpenAPI 3.1 document, served at ``/intake/api/openapi.json``.

Request schemas are derived from the very forms that validate the requests (``intake.api``), so
the document cannot drift from the implementation; responses are written out by hand.
"""

from __future__ import annotations

from django import forms
from django.http import JsonResponse

from intake import api, services


def _field_schema(field: forms.Field) -> dict:
    if isinstance(field, api.JSONObjectField):
        return {"type": "object"}
    if isinstance(field, api.JSONListField):
        items = {"type": "string"} if field.of_strings else {}
        return {"type": "array", "items": items}
    if isinstance(field, forms.IntegerField):
        schema = {"type": "integer"}
        if field.min_value is not None:
            schema["minimum"] = field.min_value
        if field.max_value is not None:
            schema["maximum"] = field.max_value
        return schema
    if isinstance(field, forms.DecimalField):
        schema = {"type": "number"}
        if field.min_value is not None:
            schema["minimum"] = float(field.min_value)
        if field.max_value is not None:
            schema["maximum"] = float(field.max_value)
        return schema
    if isinstance(field, forms.DateTimeField):
        return {"type": "string", "format": "date-time"}
    if isinstance(field, forms.ChoiceField):
        return {"type": "string", "enum": [value for value, _ in field.choices]}
    schema = {"type": "string"}
    if isinstance(field, forms.EmailField):
        schema["format"] = "email"
    if getattr(field, "max_length", None):
        schema["maxLength"] = field.max_length
    return schema


def _nullable(schema: dict) -> dict:
    """An optional field also accepts ``null`` (the forms treat it as absent)."""
    schema = {**schema, "type": [schema["type"], "null"]}
    if "enum" in schema:
        schema["enum"] = [*schema["enum"], None]
    return schema


def form_schema(form_class) -> dict:
    """JSON Schema of a request body validated by ``form_class``."""
    fields = form_class.base_fields
    return {
        "type": "object",
        "additionalProperties": False,
        "required": [name for name, f in fields.items() if f.required],
        "properties": {
            name: _field_schema(f) if f.required else _nullable(_field_schema(f))
            for name, f in fields.items()
        },
    }


ERROR = {
    "type": "object",
    "required": ["error", "message"],
    "properties": {
        "error": {"type": "string"},
        "message": {"type": "string"},
        "fields": {"type": "object", "description": "Field name → list of {message, code}."},
    },
}


def _responses(ok_status: str, ok_schema: dict, conflict: bool = True) -> dict:
    def ref(description):
        return {
            "description": description,
            "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
        }

    responses = {
        ok_status: {"description": "Done", "content": {"application/json": {"schema": ok_schema}}},
        "400": ref("Invalid payload: nothing was written"),
        "401": ref("Missing, unknown or inactive token"),
        "403": ref("This kind of worker may not call this"),
        "413": ref("Body larger than 1 MB"),
        "429": {
            **ref("Rate limit exceeded: the token's, or wrong tokens from this address"),
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
        },
    }
    if conflict:
        responses["409"] = ref(
            "Unknown item, item not leased to this worker, or (e-mail results) an address that"
            " is not the person's current e-mail"
        )
    return responses


def _post(summary, form_class, ok_status, ok_schema, conflict=True, description=""):
    return {
        "post": {
            "summary": summary,
            "description": description,
            "security": [{"bearer": []}],
            "requestBody": {
                "required": True,
                "content": {"application/json": {"schema": form_schema(form_class)}},
            },
            "responses": _responses(ok_status, ok_schema, conflict),
        }
    }


def _recorded(id_name):
    return {
        "type": "object",
        "required": ["status", id_name],
        "properties": {"status": {"type": "string"}, id_name: {"type": "integer"}},
    }


def document() -> dict:
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "Outreach Admin worker API",
            "version": "1.0.0",
            "description": (
                "External scrapers and email verifiers claim due freshness items (leased for "
                f"{services.LEASE_MINUTES} minutes; an expired lease returns the item to the "
                "queue) and post results. Token per worker (Authorization: Bearer), "
                "rate-limited per token per minute. Every result is written in one transaction."
            ),
        },
        "servers": [{"url": "/intake/api"}],
        "components": {
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
            "schemas": {"Error": ERROR},
        },
        "paths": {
            "/claim": _post(
                "Lease due items of a queue",
                api.ClaimForm,
                "200",
                {
                    "type": "object",
                    "required": ["queue", "lease_minutes", "items"],
                    "properties": {
                        "queue": {"type": "string"},
                        "lease_minutes": {"type": "integer"},
                        "items": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["item_key", "leased_until"],
                                "properties": {
                                    "item_key": {"type": "string"},
                                    "leased_until": {"type": "string", "format": "date-time"},
                                },
                            },
                        },
                    },
                },
                conflict=False,
                description="company_urls and profile_urls need a scraper token, "
                "email_recheck a verifier token. limit defaults to 10.",
            ),
            "/results/company": _post(
                "Record a company URL scrape",
                api.CompanyResultForm,
                "201",
                _recorded("intelligence_id"),
            ),
            "/results/profile": _post(
                "Record a profile scrape",
                api.ProfileResultForm,
                "201",
                _recorded("intelligence_id"),
            ),
            "/results/email": _post(
                "Record an email verification",
                api.EmailResultForm,
                "201",
                _recorded("verification_id"),
            ),
            "/results/linkedin-job": _post(
                "Update a LinkedIn refresh job",
                api.LinkedinJobForm,
                "200",
                {
                    "type": "object",
                    "properties": {"status": {"type": "string"}, "job_id": {"type": "integer"}},
                },
            ),
            "/results/actor-usage": _post(
                "Record an actor run's usage",
                api.ActorUsageForm,
                "201",
                _recorded("log_id"),
                conflict=False,
            ),
        },
    }


def openapi_json(request):
    return JsonResponse(document(), json_dumps_params={"indent": 2})
