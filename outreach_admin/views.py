"""The two view bases every app's pages subclass, the shared action helpers, and the health check.

``ObjectListView`` is a list page; ``ActionView`` is a POST that changes something through one
service call. Both are declarative: a subclass sets class attributes and, for an action, writes
``perform(form)``; the bases own the plumbing (paging, CSV export, permission, form errors, the
way back) so it exists once.
"""

from __future__ import annotations

from django.contrib import messages
from django.db import connection
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views import View
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from outreach_admin.exports import CsvExportMixin
from outreach_admin.pagination import KeysetPaginator
from outreach_admin.permissions import ActorRequiredMixin, can_act
from outreach_admin.redirects import safe_next_url


class ObjectListView(CsvExportMixin, SingleTableMixin, FilterView):
    """A list page: a django-filter form over a django-tables2 table, paged and exportable.

    Subclasses declare ``table_class``, ``filterset_class`` (or ``filterset_fields``),
    ``template_name`` and where the rows come from: ``selector``, a zero-argument function of the
    app's selectors returning the base queryset (already ``select_related``/annotated for the
    table's columns, so a page costs a fixed number of queries), or a plain ``queryset``/
    ``model``. Paging is keyset (``KeysetPaginator``: no COUNT, a signed cursor) unless the
    subclass sets its own ``table_pagination``; ``?_export=csv`` returns every filtered row as
    CSV unless ``exportable = False``. ``show_actions = True`` adds ``can_act`` to the context
    for pages with action buttons (one query for non-superusers, so only where needed).
    """

    table_pagination = {"paginator_class": KeysetPaginator}
    selector = None
    show_actions = False

    def get_queryset(self):
        # Looked up on the class: a plain function stored there is not bound to the view.
        selector = type(self).selector
        if selector is not None:
            return selector()
        return super().get_queryset()

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if self.show_actions:
            ctx["can_act"] = can_act(self.request.user)
        return ctx


def form_errors(request, form) -> None:
    """Every error of an invalid form as its own error message (fields in form order)."""
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


def form_error_text(form) -> str:
    """Every error of an invalid form in one line (fields in form order)."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def redirect_back(request, fallback: str, *, prefix: str = "/"):
    """Redirect to the posted ``next`` when it is a path of this site starting with ``prefix``
    (``safe_next_url``), else to ``fallback`` (a URL name or a path)."""
    nxt = safe_next_url(request, request.POST.get("next"))
    return redirect(nxt if nxt and nxt.startswith(prefix) else fallback)


class ActionView(ActorRequiredMixin, View):
    """A POST that changes something: coordinators and admins only (403 for viewers).

    ``post`` reads the object named by the URL (``model``: 404 when missing), validates
    ``form_class`` (``form_invalid`` when invalid: each error as a message, or the one
    ``invalid_message``, or with ``invalid_prefix`` one message of the prefix and every error
    in a line, then back), and calls ``perform(form)``, which calls one service and returns the
    response. A service refusal (an exception in ``error_classes``) goes to ``refused``: its
    text (after ``refused_prefix``) as an error message, then back.

    "Back" is the posted ``next`` when safe (a path of this site starting with
    ``next_prefix``; ignored when ``next_prefix`` is None), else ``get_fallback_url()``
    (``fallback_url``, a URL name or path, unless overridden).
    """

    model = None
    form_class = None
    invalid_message = None
    invalid_prefix: str | None = None
    refused_prefix = ""
    error_classes: tuple[type[Exception], ...] = ()
    fallback_url = "/"
    next_prefix: str | None = "/"

    def post(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.form = form = self.get_form()
        if form is not None and not form.is_valid():
            return self.form_invalid(form)
        try:
            return self.perform(form)
        except self.error_classes as exc:
            return self.refused(exc)

    def get_object(self):
        if self.model is None:
            return None
        return get_object_or_404(self.model, pk=self.kwargs["pk"])

    def get_form(self):
        return None if self.form_class is None else self.form_class(self.request.POST)

    def perform(self, form):
        raise NotImplementedError(f"{type(self).__name__} must define perform(form)")

    def form_invalid(self, form):
        if self.invalid_message:
            messages.error(self.request, self.invalid_message)
        elif self.invalid_prefix is not None:
            messages.error(self.request, self.invalid_prefix + form_error_text(form))
        else:
            form_errors(self.request, form)
        return self.back()

    def refused(self, exc):
        messages.error(self.request, f"{self.refused_prefix}{exc}")
        return self.back()

    def get_fallback_url(self) -> str:
        return self.fallback_url

    def back(self, fallback: str | None = None):
        fallback = fallback or self.get_fallback_url()
        if self.next_prefix is None:
            return redirect(fallback)
        return redirect_back(self.request, fallback, prefix=self.next_prefix)


def healthz(request):
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return HttpResponse("ok", content_type="text/plain")
