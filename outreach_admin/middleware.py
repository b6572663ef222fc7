"""Request-wide database identity and login enforcement."""

from django.contrib.auth.views import redirect_to_login
from django.db import transaction

from outreach_admin.db import set_acting_user, set_app_role

PUBLIC_PREFIXES = ("/accounts/login/", "/static/", "/favicon.ico", "/healthz", "/intake/api/")


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
    keeps row-level security in force even when the connection logs in as the owner.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with transaction.atomic():
            set_app_role()
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
