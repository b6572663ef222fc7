"""Request-wide database identity and login enforcement."""

import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.db import OperationalError, transaction
from django.http import HttpResponse, JsonResponse
from django.template.loader import render_to_string
from psycopg.errors import QueryCanceled

from outreach_admin.db import set_acting_user, set_app_role

logger = logging.getLogger(__name__)

API_PREFIX = "/intake/api/"
PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/favicon.ico", "/healthz", API_PREFIX)


class LoginRequiredMiddleware:
    """Every page needs a signed-in user except the login page, static files and the health check.

    Deny by default, so a new URL cannot be published by forgetting a decorator. The admin
    has its own login and is left to it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            not request.user.is_authenticated
            and not path.startswith(PUBLIC_PREFIXES)
            and not path.startswith("/admin/")
        ):
            return redirect_to_login(request.get_full_path())
        return self.get_response(request)


class ActingUserMiddleware:
    """Wrap the whole response, templates included, in one transaction run as the app role.

    Template responses render after the view returns, so the role switch and the acting-user
    setting must span ``get_response`` *and* rendering, not only the view. ``SET LOCAL ROLE``
    keeps row-level security in force even when the connection logs in as the owner; the same
    round trip turns JIT off and bounds each statement by ``DB_STATEMENT_TIMEOUT``. A statement
    cancelled by that limit (view or template: Django renders a template response before the
    exception hooks run) answers the 503 page, and the transaction is rolled back.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with transaction.atomic():
            set_app_role(statement_timeout=settings.DB_STATEMENT_TIMEOUT)
            user = getattr(request, "user", None)
            # Anonymous requests (the login page) are named too, so history never falls back to
            # the database login for a web request.
            set_acting_user(user.get_username() if user and user.is_authenticated else "anonymous")
            response = self.get_response(request)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
            if response.status_code >= 500:
                # Django turns a view's exception into a 500 response inside this block; without
                # this the writes made before the error would be committed.
                transaction.set_rollback(True)
        return response

    def process_exception(self, request, exception):
        if not (
            isinstance(exception, OperationalError)
            and isinstance(exception.__cause__, QueryCanceled)
        ):
            return None
        logger.warning(
            "Statement cancelled (statement_timeout %s): %s %s",
            settings.DB_STATEMENT_TIMEOUT,
            request.method,
            request.get_full_path(),
        )
        if request.path_info.startswith(API_PREFIX):  # the worker API answers JSON errors
            return JsonResponse(
                {"message": f"Took too long: stopped after {settings.DB_STATEMENT_TIMEOUT}."},
                status=503,
            )
        body = render_to_string("503.html", {"limit": settings.DB_STATEMENT_TIMEOUT})
        return HttpResponse(body, status=503)


CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        # Bootstrap components and progress bars set style attributes; scripts stay strict.
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)


class SecurityHeadersMiddleware:
    """Headers Django 5.2 does not set itself: a strict CSP (no inline scripts, no third-party
    origins: every asset is vendored) and a Permissions-Policy that disables device APIs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        return response


MAX_PAGE = 100_000


def _page_param(value: str) -> str | None:
    """``page`` as the lists may read it: ASCII digits 1..MAX_PAGE kept, larger numbers cut to
    MAX_PAGE (the paginators then show their last reachable page and say so), anything else
    None (dropped: the first page). Checked by length before ``int``, which refuses strings
    over 4,300 digits."""
    if not (value.isascii() and value.isdigit()):
        return None
    digits = value.lstrip("0")
    if not digits:
        return None
    if len(digits) > len(str(MAX_PAGE)) or int(digits) > MAX_PAGE:
        return str(MAX_PAGE)
    return value


class QueryParameterMiddleware:
    """Make hostile query strings harmless before any list, filter or search code sees them.

    PostgreSQL refuses NUL in text, so a ``%00`` in any GET parameter would become a database
    error: NULs are removed. A ``page`` that is not a whole number is dropped (the first page);
    one past MAX_PAGE (huge numbers overflowed the OFFSET) becomes MAX_PAGE. ``per_page`` is
    bounded where the table is paged (``BaseTable.paginate``).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        params = request.GET
        page = params.get("page")
        fixed_page = _page_param(page) if page is not None else None
        bad_page = page is not None and fixed_page != page
        if bad_page or any("\x00" in v for values in params.lists() for v in values[1]):
            clean = params.copy()
            for key in list(clean.keys()):
                clean.setlist(key, [v.replace("\x00", "") for v in clean.getlist(key)])
            if bad_page:
                clean.pop("page", None)
                if fixed_page is not None:
                    clean["page"] = fixed_page
            clean._mutable = False
            request.GET = clean
        return self.get_response(request)
