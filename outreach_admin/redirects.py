"""Where a form may send the user back to ("next"), shared by every view that accepts one."""

from django.utils.http import url_has_allowed_host_and_scheme


def safe_next_url(request, value) -> str | None:
    """``value`` when it is a path on this site (``/…``), else None.

    ``url_has_allowed_host_and_scheme`` alone lets through relative values such as ``0`` or
    ``a b``, which ``redirect()`` then tries to reverse as view names (NoReverseMatch, a 500);
    requiring a leading slash keeps every accepted value a plain local path.
    """
    if not isinstance(value, str) or not value.startswith("/") or "\x00" in value:
        return None
    if url_has_allowed_host_and_scheme(value, allowed_hosts={request.get_host()}):
        return value
    return None
