"""Worker API (JSON over HTTP) for external scrapers and email verifiers.

Every call: ``POST`` with ``Authorization: Bearer <token>`` (tokens are stored as SHA-256 in
``intake.worker_token``), counted in a fixed one-minute window per token (429 + Retry-After over
the limit); wrong tokens are counted per client address (``intake.worker_auth_failure``) and an
address over ``WORKER_AUTH_FAILURES_PER_MINUTE`` gets 429 before any token is looked at; body a
JSON object validated by a Django form (400 with field errors, nothing written). Exempt from
CSRF (no cookies are used) and from the login redirect (``/intake/api/`` is a public prefix of
``LoginRequiredMiddleware``). The published contract is ``intake/openapi.py``.
"""

from __future__ import annotations

import datetime as dt
from functools import wraps

from django import forms
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from intake import services
from intake.parsing import ParseError, _check_value, loads_strict
from outreach_admin.client_ip import client_ip
from outreach_admin.db import set_acting_user
from outreach_admin.forms import MAX_ID

MAX_BODY_BYTES = 1024 * 1024
MAX_CLOCK_SKEW = dt.timedelta(days=1)
MAX_CLAIM = 100


def _error(status, code, message, **extra):
    return JsonResponse({"error": code, "message": message, **extra}, status=status)


def _as_it(message: str) -> str:
    """An upload rule's message about "Row 1" said of the one body or value checked."""
    return message.replace("Row 1 contains", "It contains").replace("Row 1 nests", "It nests")


def _storable(value):
    """The value, if PostgreSQL's jsonb can store every key and string in it (no NUL, no lone
    surrogate; the same rule as uploads), else a ValidationError saying why."""
    try:
        _check_value(value, 1)
    except ParseError as exc:
        raise forms.ValidationError(_as_it(str(exc))) from None
    except RecursionError:
        raise forms.ValidationError("It nests too deeply.") from None
    return value


class JSONObjectField(forms.Field):
    """A JSON object (already decoded) — any keys."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if not isinstance(value, dict):
            raise forms.ValidationError("Must be a JSON object.")
        return _storable(value)


class JSONListField(forms.Field):
    """A JSON array; ``of_strings`` requires every element to be a string."""

    def __init__(self, *args, of_strings=False, **kwargs):
        self.of_strings = of_strings
        super().__init__(*args, **kwargs)

    def to_python(self, value):
        if value in (None, ""):
            return None
        if not isinstance(value, list):
            raise forms.ValidationError("Must be a JSON array.")
        if self.of_strings and not all(isinstance(v, str) for v in value):
            raise forms.ValidationError("Every element must be a string.")
        return _storable(value)


class StrictIntegerField(forms.IntegerField):
    """An integer given as a JSON number (not a string, not a boolean)."""

    def to_python(self, value):
        if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
            raise forms.ValidationError("Must be an integer.")
        return super().to_python(value)


class UTCDateTimeField(forms.DateTimeField):
    """A date-time string, normalised to UTC: PostgreSQL rejects offsets beyond ±15:59 that
    Python (and RFC 3339) accept, e.g. ``+16:08``; stored in UTC such a value is no 500.

    A time more than ``MAX_CLOCK_SKEW`` in the future is refused: a worker's ``checked_at`` of
    9999-12-31 would have frozen a status or kept an item out of its queue forever.
    """

    def to_python(self, value):
        if value is not None and not isinstance(value, str):
            # Django would call .strip() on a JSON array or object: a 500, not a 400.
            raise forms.ValidationError("Must be a date-time string.", code="invalid")
        result = super().to_python(value)
        if result is None:
            return None
        try:
            result = result.astimezone(dt.UTC)
        except (OverflowError, ValueError) as exc:
            raise forms.ValidationError("Out of range.", code="invalid") from exc
        if result > dt.datetime.now(dt.UTC) + MAX_CLOCK_SKEW:
            raise forms.ValidationError(
                "Must not be in the future (more than a day ahead of the server's clock).",
                code="future",
            )
        return result


def _json_type_error(field: forms.Field, value) -> str | None:
    """Why ``value``'s JSON type cannot be the field's (None when it can).

    Django's fields coerce with ``str()``, so ``{"title": 5}`` or ``{"title": [1]}`` would be
    accepted as text although the published schema says string; the JSON fields and
    ``StrictIntegerField`` check their own types."""
    if value is None or isinstance(field, (JSONObjectField, JSONListField, StrictIntegerField)):
        return None
    if isinstance(field, forms.DecimalField):
        number = isinstance(value, (int, float)) and not isinstance(value, bool)
        return None if number else "Must be a number."
    return None if isinstance(value, str) else "Must be a string."


class ApiForm(forms.Form):
    """Rejects keys the form does not declare, so a typo is a 400, not a silent no-op, and values
    of the wrong JSON type, so only what the OpenAPI document describes is accepted."""

    def __init__(self, data):
        self.type_errors = {
            name: error
            for name, field in self.base_fields.items()
            if name in data and (error := _json_type_error(field, data[name]))
        }
        super().__init__({k: v for k, v in data.items() if k not in self.type_errors})
        self.unknown = sorted(set(data) - set(self.fields))

    def clean(self):
        data = super().clean()
        for name, error in self.type_errors.items():
            # The value was withheld from the field, which may have said "required" instead.
            self._errors.pop(name, None)
            self.add_error(name, error)
        for key in self.unknown:
            self.add_error(None, f"Unknown field: {key}.")
        return data


class ClaimForm(ApiForm):
    queue = forms.ChoiceField(choices=[(q, q) for q in services.QUEUE_KINDS])
    limit = StrictIntegerField(min_value=1, max_value=MAX_CLAIM, required=False)


class CompanyResultForm(ApiForm):
    company_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    url_type = forms.ChoiceField(choices=[(k, k) for k in services.COMPANY_CHECK_COLUMN])
    checked_at = UTCDateTimeField(required=False)
    intelligence_type = forms.ChoiceField(
        choices=[(t, t) for t in ("scrape", "news", "signal", "event", "score")], required=False
    )
    title = forms.CharField(required=False, max_length=1000)
    description = forms.CharField(required=False, max_length=20000)
    url = forms.CharField(required=False, max_length=2000)
    score = forms.DecimalField(required=False, min_value=0, max_value=100, decimal_places=2)
    data = JSONObjectField(required=False)


class ProfileResultForm(ApiForm):
    contact_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    checked_at = UTCDateTimeField(required=False)
    intelligence_type = forms.CharField(required=False, max_length=100)
    headline = forms.CharField(required=False, max_length=2000)
    linkedin_data = JSONObjectField(required=False)
    skills = JSONListField(required=False, of_strings=True)
    experience = JSONListField(required=False)
    education = JSONListField(required=False)
    data = JSONObjectField(required=False)


class EmailResultForm(ApiForm):
    contact_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    email = forms.EmailField(required=False)
    email_status = forms.ChoiceField(choices=[(s, s) for s in ("green", "yellow", "red", "gray")])
    confidence = forms.DecimalField(required=False, min_value=0, max_value=100, decimal_places=2)
    provider = forms.CharField(required=False, max_length=200)
    source_url = forms.CharField(required=False, max_length=2000)
    result = JSONObjectField(required=False)
    verified_at = UTCDateTimeField(required=False)


class LinkedinJobForm(ApiForm):
    job_id = StrictIntegerField(min_value=1, max_value=MAX_ID)
    status = forms.ChoiceField(
        choices=[(s, s) for s in ("pending", "running", "completed", "failed")]
    )
    apify_run_id = forms.CharField(required=False, max_length=200)
    result_data = JSONObjectField(required=False)
    error_message = forms.CharField(required=False, max_length=20000)
    started_at = UTCDateTimeField(required=False)
    completed_at = UTCDateTimeField(required=False)


class ActorUsageForm(ApiForm):
    actor_id = forms.CharField(max_length=200)
    run_id = forms.CharField(max_length=200)
    status = forms.ChoiceField(
        choices=[(s, s) for s in ("SUCCEEDED", "FAILED", "TIMED-OUT", "RUNNING", "ABORTED")]
    )
    started_at = UTCDateTimeField(required=False)
    finished_at = UTCDateTimeField(required=False)
    compute_units = forms.DecimalField(required=False, min_value=0, max_digits=10, decimal_places=4)
    dataset_items = StrictIntegerField(required=False, min_value=0, max_value=2_000_000_000)
    error_message = forms.CharField(required=False, max_length=20000)
    metadata = JSONObjectField(required=False)


def worker_endpoint(form_class, kinds=("scraper", "verifier")):
    """Authenticate, rate-limit, parse and validate; call ``view(request, worker, data)``."""

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request):
            if request.method != "POST":
                response = _error(405, "method_not_allowed", "Use POST.")
                response["Allow"] = "POST"
                return response
            client = client_ip(request)
            blocked_for = services.worker_auth_blocked(client=client)
            if blocked_for:
                response = _error(
                    429,
                    "rate_limited",
                    f"Too many wrong tokens from this address; try again in {blocked_for} s.",
                )
                response["Retry-After"] = str(blocked_for)
                return response
            scheme, _, token = request.headers.get("Authorization", "").partition(" ")
            worker = (
                services.worker_authenticate(token=token.strip())
                if scheme.lower() == "bearer" and token.strip()
                else None
            )
            if worker is None:
                services.worker_auth_failure_record(client=client)
                response = _error(401, "unauthorized", "Missing, unknown or inactive token.")
                response["WWW-Authenticate"] = 'Bearer realm="intake"'
                return response
            if worker.over_limit:
                response = _error(429, "rate_limited", "Too many requests this minute.")
                response["Retry-After"] = str(worker.retry_after)
                return response
            if worker.kind not in kinds:
                return _error(403, "forbidden", f"A {worker.kind} token cannot call this.")
            set_acting_user(f"worker:{worker.name}")
            if len(request.body) > MAX_BODY_BYTES:
                return _error(413, "too_large", "The body is larger than 1 MB.")
            try:
                # NaN, Infinity and 1e400 are refused here: inside a free JSON object they
                # reached the database, which refuses them (a 500).
                payload = loads_strict((request.body or b"null").decode("utf-8"))
                _check_value(payload, 1)
            except RecursionError:
                return _error(400, "invalid", "The body nests too deeply.")
            except (ValueError, ParseError) as exc:
                detail = str(exc) if isinstance(exc, ParseError) else "The body is not JSON."
                return _error(400, "invalid", _as_it(detail))
            if not isinstance(payload, dict):
                return _error(400, "invalid", "The body must be a JSON object.")
            form = form_class(payload)
            if not form.is_valid():
                return _error(
                    400, "invalid", "The payload has errors.", fields=form.errors.get_json_data()
                )
            try:
                return view(request, worker, form.cleaned_data)
            except services.WorkerConflict as exc:
                return _error(409, "conflict", str(exc))

        return wrapper

    return decorate


@worker_endpoint(ClaimForm)
def claim(request, worker, data):
    queue = data["queue"]
    if services.QUEUE_KINDS[queue] != worker.kind:
        return _error(403, "forbidden", f"A {worker.kind} token cannot claim {queue}.")
    items = services.work_items_claim(
        worker_id=worker.token_id, queue=queue, limit=data.get("limit") or 10
    )
    return JsonResponse({"queue": queue, "lease_minutes": services.LEASE_MINUTES, "items": items})


@worker_endpoint(CompanyResultForm, kinds=("scraper",))
def company_result(request, worker, data):
    pk = services.company_scrape_record(
        worker_id=worker.token_id, worker_name=worker.name, data=data
    )
    return JsonResponse({"status": "recorded", "intelligence_id": pk}, status=201)


@worker_endpoint(ProfileResultForm, kinds=("scraper",))
def profile_result(request, worker, data):
    pk = services.profile_scrape_record(
        worker_id=worker.token_id, worker_name=worker.name, data=data
    )
    return JsonResponse({"status": "recorded", "intelligence_id": pk}, status=201)


@worker_endpoint(EmailResultForm, kinds=("verifier",))
def email_result(request, worker, data):
    pk = services.email_verification_record(
        worker_id=worker.token_id, worker_name=worker.name, data=data
    )
    return JsonResponse({"status": "recorded", "verification_id": pk}, status=201)


@worker_endpoint(LinkedinJobForm, kinds=("scraper",))
def linkedin_job_result(request, worker, data):
    services.linkedin_job_update(data=data)
    return JsonResponse({"status": "updated", "job_id": data["job_id"]})


@worker_endpoint(ActorUsageForm)
def actor_usage_result(request, worker, data):
    pk = services.actor_usage_record(data=data)
    return JsonResponse({"status": "recorded", "log_id": pk}, status=201)
