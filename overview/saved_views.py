"""Saved views: a list page's URL (page + query string: filters, sort, page size) under a name.

A view is private to its owner or shared with everyone. Saving a view changes no business
data, so viewers may save private ones; only coordinators and admins may share (or delete a
shared view someone else saved).
"""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit

from django import forms
from django.db import transaction
from django.db.models import Q, QuerySet
from django.urls import NoReverseMatch, Resolver404, resolve, reverse

from outreach_admin.models import SavedView
from outreach_admin.permissions import can_act

# Pages a view can point at: list pages with GET filters (never a detail or action URL).
LIST_URL_NAMES = {
    "companies:company_list": "Companies",
    "companies:slot_queue": "Open slots",
    "people:contact_list": "People",
    "people:resolution_list": "Duplicates",
    "people:merge_list": "Merge log",
    "marketing:renewal_list": "Renewals",
    "marketing:campaign_list": "Campaigns",
    "marketing:handoff_list": "Handoffs",
    "marketing:booking_list": "Bookings",
    "intake:batch_list": "Intake batches",
    "intake:queue_list": "Queues",
    "intake:audit_list": "Audit log",
    "intake:run_list": "Pipeline runs",
    "signals:signal_list": "Signals",
}
# Paging is not part of a view: a saved view opens on its first page.
DROPPED_PARAMS = {"page", "csrfmiddlewaretoken"}


class SavedViewError(Exception):
    """A view that cannot be saved or deleted; the message says why."""


class SavedViewForm(forms.Form):
    name = forms.CharField(max_length=80, strip=True)
    path = forms.CharField(max_length=2000)
    shared = forms.BooleanField(required=False)


def visible_views(user) -> QuerySet[SavedView]:
    """The user's private views and every shared one, by page then name."""
    return SavedView.objects.filter(Q(owner=user) | Q(shared=True)).order_by(
        "url_name", "name", "pk"
    )


def view_url(view: SavedView) -> str:
    """The exact list URL a view restores ('' when the page no longer exists)."""
    try:
        url = reverse(view.url_name)
    except NoReverseMatch:
        return ""
    return f"{url}?{view.query}" if view.query else url


def grouped_views(user) -> list[dict]:
    """Visible views grouped by page: [{page, views: [{view, url, mine}]}], one query."""
    groups: dict[str, dict] = {}
    for view in visible_views(user):
        url = view_url(view)
        if not url:
            continue
        label = LIST_URL_NAMES.get(view.url_name, view.url_name)
        groups.setdefault(label, {"page": label, "views": []})["views"].append(
            {"view": view, "url": url, "mine": view.owner_id == user.pk}
        )
    return list(groups.values())


def parse_list_path(path: str) -> tuple[str, str]:
    """(url_name, query) of a list page URL; SavedViewError when it is not a list page."""
    parts = urlsplit(path)
    if parts.scheme or parts.netloc or not parts.path.startswith("/"):
        raise SavedViewError("Only pages of this site can be saved.")
    try:
        match = resolve(parts.path)
    except Resolver404 as exc:
        raise SavedViewError("That page does not exist.") from exc
    if match.view_name not in LIST_URL_NAMES or match.args or match.kwargs:
        raise SavedViewError("Only list pages can be saved as views.")
    pairs = [
        (k, v)
        for k, v in parse_qsl(parts.query, keep_blank_values=True)
        if k not in DROPPED_PARAMS and v != ""
    ]
    return match.view_name, urlencode(pairs)


@transaction.atomic
def saved_view_create(*, user, name: str, path: str, shared: bool, actor: str) -> SavedView:
    """Save ``path`` (a list page URL with its query string) as a view named ``name``.

    Only coordinators and admins may share. A second view with the same name (among the
    user's own, or among the shared ones when sharing) replaces the first, so "save again"
    updates a view rather than duplicating it.
    """
    name = name.strip()
    if not name:
        raise SavedViewError("Give the view a name.")
    if shared and not can_act(user):
        raise SavedViewError("Only coordinators and admins can share views with the team.")
    url_name, query = parse_list_path(path)
    same_name = (
        Q(shared=True, name__iexact=name)
        if shared
        else Q(owner=user, shared=False, name__iexact=name)
    )
    existing = SavedView.objects.select_for_update().filter(same_name).order_by("pk").first()
    if existing is not None:
        if existing.owner_id not in (user.pk, None) and not can_act(user):
            raise SavedViewError(f"A shared view named “{name}” exists already.")
        existing.url_name, existing.query = url_name, query
        existing.save(update_fields=["url_name", "query"])
        return existing
    return SavedView.objects.create(
        name=name, owner=user, shared=shared, url_name=url_name, query=query
    )


@transaction.atomic
def saved_view_delete(*, user, view_id: int, actor: str) -> str:
    """Delete a view: its owner may; a shared view also any coordinator or admin. Its name."""
    view = SavedView.objects.select_for_update().filter(pk=view_id).first()
    if view is None or not (view.shared or view.owner_id == user.pk):
        raise SavedViewError("That view does not exist (any more).")
    if view.owner_id != user.pk and not can_act(user):
        raise SavedViewError("Only coordinators and admins can delete a shared view.")
    name = view.name
    view.delete()
    return name
