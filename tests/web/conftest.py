"""Shared helpers for the web battery: URL enumeration, a whole-database fingerprint, seeded
objects per URL name, signed-in clients per group, and the battery's figures for the results
table (tests/reliability/report.py): requests and 5xx answers per area, refused requests after
which a table changed, Hypothesis examples, tests failed."""

from __future__ import annotations

import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from tests import builders as b
from tests.reliability.report import print_table, record

APP_SCHEMAS = ("company", "people", "marketing", "intake", "vault", "ple", "bit", "public")
# Tables that legitimately change on any request (sessions, login bookkeeping, axes).
VOLATILE = re.compile(r"^(django_session|auth_user|axes_\w+|django_admin_log)$")
# POST endpoints every signed-in user may use: authentication itself, and personal saved views
# (a viewer may bookmark a list for themself; sharing is checked inside the service).
OPEN_POST = {"login", "logout", "saved_view_create", "saved_view_delete"}
TOKEN_PREFIX = "intake:api_"


def urls(resolver=None, prefix="", ns=""):
    """(url name, route, view class or function) for every URL of the project apps."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            route = str(entry.pattern)
            if route.startswith("admin/"):
                continue  # the admin has its own login and permissions (tests/test_admin.py)
            yield from urls(entry, prefix + route, entry.namespace or ns)
        elif isinstance(entry, URLPattern):
            name = f"{ns}:{entry.name}" if ns else entry.name
            cls = getattr(entry.callback, "view_class", None)
            yield name, prefix + str(entry.pattern), cls or entry.callback


def accepts_post(view) -> bool:
    """Class views with a ``post`` method, and function views (which may accept anything)."""
    return hasattr(view, "post") if isinstance(view, type) else True


def post_urls():
    """URL names of the session-authenticated state-changing endpoints."""
    return sorted(
        (name, route)
        for name, route, view in urls()
        if accepts_post(view) and not name.startswith(TOKEN_PREFIX) and name != "healthz"
    )


def fill(route: str, sample: dict[str, object]) -> str:
    """The concrete path with converters replaced by ``sample`` values (in order)."""
    values = iter(sample)
    return "/" + re.sub(r"<(\w+:)?\w+>", lambda _m: str(next(values)), route)


def fingerprint() -> dict[str, tuple]:
    """count + md5 of every table of the app schemas, read as the login (owner) role."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_user")
        role = cursor.fetchone()[0]
        cursor.execute("RESET ROLE")
        try:
            cursor.execute(
                "SELECT c.oid::regclass::text, c.relname FROM pg_class c JOIN pg_namespace n "
                "ON n.oid = c.relnamespace WHERE c.relkind IN ('r', 'p') AND n.nspname = ANY(%s) "
                "ORDER BY 1",
                [list(APP_SCHEMAS)],
            )
            tables = [t for t, rel in cursor.fetchall() if not VOLATILE.match(rel)]
            result = {}
            for table in tables:
                cursor.execute(
                    "SELECT count(*), md5(coalesce(string_agg(t::text, ',' ORDER BY t::text), "
                    f"'')) FROM {table} t"
                )
                result[table] = cursor.fetchone()
        finally:
            cursor.execute(f'SET LOCAL ROLE "{role}"')
    return result


def changed(before: dict, after: dict) -> list[str]:
    diff = sorted(t for t in set(before) | set(after) if before.get(t) != after.get(t))
    # A refused request (>= 400) after which a table changed is a lost/forged write; the worker
    # token's rate counter moves on every authenticated API call by design.
    if _last["area"] and _last["status"] >= 400 and set(diff) - BOOKKEEPING:
        record(_last["area"], "rows lost")
    return diff


# --- figures for the results table -------------------------------------------------------------

# test module → area of the table; other modules of tests/web record nothing (the error-page test
# provokes a 500 on purpose).
AREA_OF_MODULE = {
    "test_bad_input": "bad input",
    "test_links": "bad input",
    "test_stored_batch_ids": "bad input",
    "test_bounded_requests": "bounded requests",
    "test_permission_matrix": "permission matrix",
    "test_mass_assignment": "mass assignment",
    "test_csrf": "csrf",
    "test_forms_hypothesis": "hypothesis forms",
    "test_services_hypothesis": "hypothesis services",
    "test_validators_vs_checks": "validators vs checks",
}
BOOKKEEPING = {"intake.worker_token"}
_last = {"area": None, "status": 0}


def area_of(item) -> str | None:
    return AREA_OF_MODULE.get(item.module.__name__.rsplit(".", 1)[-1])


@pytest.fixture(autouse=True)
def _count_requests(request, monkeypatch):
    """Every test-client request of an area's test counts as a case; >= 500 counts as a 5xx."""
    area = area_of(request.node)
    if area is None:
        yield
        return
    original = Client.request

    def counted(self, **kwargs):
        record(area, "cases tried")
        _last.update(area=area, status=0)
        try:
            response = original(self, **kwargs)
        except Exception:
            record(area, "5xx")
            _last["status"] = 500
            raise
        _last["status"] = response.status_code
        if response.status_code >= 500:
            record(area, "5xx")
        return response

    monkeypatch.setattr(Client, "request", counted)
    record(area, "5xx", 0)
    record(area, "rows lost", 0)
    yield
    _last.update(area=None, status=0)


@pytest.fixture(autouse=True)
def _count_examples(request, monkeypatch):
    """Every Hypothesis example an area's test runs counts as a case, ``@given`` nested inside
    the test included. Hypothesis has no cheap public per-example hook (its observability
    callbacks slow these tests 2-3x), so this wraps the engine's ``execute_once``; if a
    Hypothesis upgrade renames it, examples are simply not counted."""
    area = area_of(request.node)
    import hypothesis.core

    state = getattr(hypothesis.core, "StateForActualGivenExecution", None)
    if area is None or not hasattr(state, "execute_once"):
        return
    original = state.execute_once

    def counted(self, *args, **kwargs):
        record(area, "cases tried")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(state, "execute_once", counted)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Tests failed per area (not counting strict xfails, which pin known bugs); mass assignment
    counts one case per (form, privileged extra field)."""
    outcome = yield
    report = outcome.get_result()
    area = area_of(item)
    if area is None or report.when != "call":
        return
    if report.failed:
        record(area, "tests failed")
    if (
        area == "mass assignment"
        and report.passed
        and "form_class" in getattr(item, "callspec", type("", (), {"params": {}})).params
    ):
        record(area, "cases tried", len(item.module.EXTRAS))


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    """Print the results table (once per session, shared with tests/reliability)."""
    print_table(terminalreporter)


def client_for(group: str | None, **kwargs) -> Client:
    """A client signed in as a fresh user of ``group`` (None: in no group)."""
    c = Client(**kwargs)
    c.force_login(b.user(group=group))
    return c


def upload_job_queued(user):
    """A queued background upload of ``user`` (its file in the upload folder), through the
    service, as the upload page leaves a large file."""
    import tempfile
    import uuid
    from pathlib import Path

    from intake import services

    folder = Path(tempfile.gettempdir()) / "outreach-intake-uploads"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{uuid.uuid4().hex}.json"
    path.write_text('[{"email": "job@matrix.example"}]')
    return services.upload_job_create(
        batch_id=f"job-{path.stem[:8]}",
        source="manual",
        file_name="big.json",
        file_path=str(path),
        kind="json",
        actor=user.get_username(),
    )


@pytest.fixture
def seeded(db):
    """The demo data set (12 companies) plus one merge and one saved view, ids per URL name."""
    from django.contrib.auth.models import User

    from companies.models import Company, CompanySlot
    from intake.models import PleCycle, RawLoad, UploadJob
    from marketing.models import AcHandoff, Campaign, CampaignContact
    from outreach_admin.models import SavedView
    from people.models import Contact, MergeLog, ResolutionQueue

    call_command("seed_demo", companies=12, verbosity=0)
    owner = User.objects.filter(is_superuser=False).first() or b.user(group="coordinator")
    if not SavedView.objects.filter(owner__isnull=False).exists():
        SavedView.objects.create(name="Mine", url_name="companies:company_list", owner=owner)

    if not PleCycle.objects.exists():
        PleCycle.objects.create(cycle_name="web battery", status="completed")

    if not UploadJob.objects.exists():
        upload_job_queued(b.user(group="coordinator"))

    def first(qs):
        return qs.order_by("pk").values_list("pk", flat=True).first()

    def batch():
        return RawLoad.objects.order_by("pk").values_list("batch_id", flat=True).first()

    samples = {
        "saved_view_delete": lambda: first(SavedView.objects),
        "companies:company": lambda: first(Company.objects),
        "companies:company_edit": lambda: first(Company.objects),
        "people:contact": lambda: first(Contact.objects),
        "people:contact_edit": lambda: first(Contact.objects.exclude(status="merged")),
        "people:merge": lambda: first(MergeLog.objects),
        "people:merge_undo": lambda: first(MergeLog.objects),
        "marketing:campaign_member_remove": lambda: first(CampaignContact.objects),
        "marketing:campaign_member_outcome": lambda: first(CampaignContact.objects),
        "intake:batch": batch,
        "intake:load": lambda: first(RawLoad.objects),
        "intake:run": lambda: first(PleCycle.objects),
        "intake:upload_job": lambda: first(UploadJob.objects),
        "intake:upload_job_cancel": lambda: first(UploadJob.objects.filter(status="queued")),
    }
    prefixes = {
        "companies:slot": CompanySlot.objects.filter(contact__isnull=False),
        "people:resolution": ResolutionQueue.objects,
        "marketing:campaign": Campaign.objects,
        "marketing:handoff": AcHandoff.objects,
    }

    def sample_for(name: str):
        if name in samples:
            return samples[name]()
        for prefix, qs in prefixes.items():
            if name == prefix or name.startswith(prefix + "_"):
                return first(qs)
        raise LookupError(name)

    return sample_for
