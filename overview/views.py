from urllib.parse import urlencode, urlsplit

from django.contrib import messages
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views import View
from django.views.generic import TemplateView

from outreach_admin.permissions import can_act
from outreach_admin.views import redirect_back
from overview import dashboard, saved_views, search


class HomeView(TemplateView):
    template_name = "overview/home.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(dashboard.dashboard(self.request.user))
        return ctx


GROUPS = (
    ("company", "Companies", "companies:company_list"),
    ("person", "People", "people:contact_list"),
    ("campaign", "Campaigns", "marketing:campaign_list"),
)


class SearchView(View):
    """GET /search/?q=…: straight to the record on one strong hit, else results by type."""

    def get(self, request):
        query = request.GET.get("q", "").strip()
        kind = request.GET.get("kind")
        if kind in search.KINDS and len(query) >= search.MIN_LENGTH:
            return self.one_kind(request, query, kind)
        results = search.search(query)
        hit = search.strong_hit(results)
        if hit is not None and request.GET.get("all") != "1":
            return redirect(hit.url)
        # The page shows the best LIMIT of each kind. "See all" opens every hit of that kind
        # on this page, paged (same matching and order); the kind's own list, filtered by the
        # same words, is linked beside it.
        groups = [
            (
                kind,
                label,
                results[kind],
                f"{reverse(list_url)}?{urlencode({'q': query})}",
                f"{reverse('search')}?{urlencode({'q': query, 'kind': kind})}",
            )
            for kind, label, list_url in GROUPS
        ]
        return render(
            request,
            "overview/search.html",
            {
                "query": query,
                "too_short": 0 < len(query) < search.MIN_LENGTH,
                "groups": groups,
                "total": sum(len(group[2]) for group in groups),
                "limit": search.LIMIT,
            },
        )

    def one_kind(self, request, query, kind):
        """GET /search/?q=…&kind=company[&page=N]: every hit of one kind, ``PAGE_SIZE`` a page
        (two queries), with Previous/Next links; pages stop at ``MAX_PAGES``."""
        page = min(int(request.GET.get("page") or 1), search.MAX_PAGES)
        hits, has_next = search.search_page(query, kind, page)
        label, list_url = next((lbl, url) for k, lbl, url in GROUPS if k == kind)

        def page_url(number):
            return f"{reverse('search')}?{urlencode({'q': query, 'kind': kind, 'page': number})}"

        return render(
            request,
            "overview/search_kind.html",
            {
                "query": query,
                "kind": kind,
                "label": label,
                "hits": hits,
                "page": page,
                "first_number": (page - 1) * search.PAGE_SIZE + 1,
                "last_number": (page - 1) * search.PAGE_SIZE + len(hits),
                "previous_url": page_url(page - 1) if page > 1 else "",
                "next_url": page_url(page + 1) if has_next and page < search.MAX_PAGES else "",
                "at_cap": has_next and page >= search.MAX_PAGES,
                "back_url": f"{reverse('search')}?{urlencode({'q': query, 'all': '1'})}",
                "list_url": f"{reverse(list_url)}?{urlencode({'q': query})}",
            },
        )


KIND_LABELS = {"company": "Company", "person": "Person", "campaign": "Campaign"}


class SearchSuggestView(View):
    """GET /search/suggest/?q=…[&kind=person]: the type-ahead's suggestions as JSON.

    Read-only, so viewers may use it (sign-in is required by the middleware, like every page).
    The answer is bounded (``search.SUGGEST_LIMIT`` per kind, or ``search.PICKER_LIMIT`` of one
    kind for a picker) and costs at most four queries. A refused query (too long, control
    characters, unknown kind) is a 400 with the reason in ``error``; a short one has no results.
    Each result carries the id a picker posts and the label it shows (``Name (#id)``, which the
    picker fields also read back when JavaScript is off).
    """

    def get(self, request):
        query = request.GET.get("q", "")
        kind = request.GET.get("kind") or None
        try:
            hits = search.suggest(query, kind)
        except search.SuggestError as exc:
            return JsonResponse({"error": str(exc), "results": []}, status=400)
        text = " ".join(query.split())
        return JsonResponse(
            {
                "query": text,
                "results": [
                    {
                        "kind": hit.kind,
                        "kind_label": KIND_LABELS[hit.kind],
                        "id": hit.pk,
                        "title": hit.title,
                        "detail": " · ".join(x for x in (hit.barton_id, hit.detail) if x),
                        "label": f"{hit.title} (#{hit.pk})",
                        "url": hit.url,
                    }
                    for hit in hits
                ],
                "all_url": f"{reverse('search')}?{urlencode({'q': text, 'all': '1'})}"
                if len(text) >= search.MIN_LENGTH
                else "",
            }
        )


class SavedViewListView(View):
    """The user's and the team's saved views; the navbar menu loads the ``menu`` fragment.

    The fragment also offers to save the page it was opened on (htmx sends that page's URL in
    ``HX-Current-URL``) when that page is a list.
    """

    def get(self, request):
        ctx = {
            "view_groups": saved_views.grouped_views(request.user),
            "can_share": can_act(request.user),
        }
        if request.GET.get("fragment") != "menu":
            return render(request, "overview/saved_view_list.html", ctx)
        current = urlsplit(request.headers.get("HX-Current-URL", ""))
        path = current.path + (f"?{current.query}" if current.query else "")
        try:
            saved_views.parse_list_path(path)
            ctx["save_path"] = path
        except saved_views.SavedViewError:
            pass
        return render(request, "overview/saved_view_menu.html", ctx)


# Saving a view changes no business data: viewers may save (and delete) their own, so these two
# POSTs are not ``ActionView``s (coordinators/admins only); the service checks sharing.


class SavedViewCreateView(View):
    """POST: save the current list URL as a view (private; shared for coordinators/admins)."""

    def post(self, request):
        form = saved_views.SavedViewForm(request.POST)
        if not form.is_valid():
            messages.error(request, "Give the view a name (up to 80 characters).")
            return redirect_back(request, "/")
        try:
            view = saved_views.saved_view_create(
                user=request.user,
                name=form.cleaned_data["name"],
                path=form.cleaned_data["path"],
                shared=form.cleaned_data["shared"],
                actor=request.user.get_username(),
            )
        except saved_views.SavedViewError as exc:
            messages.error(request, str(exc))
            return redirect_back(request, "/")
        scope = "shared with the team" if view.shared else "visible only to you"
        messages.success(request, f"Saved view “{view.name}” ({scope}). Find it under Views.")
        return redirect(saved_views.view_url(view) or "/")


class SavedViewDeleteView(View):
    """POST: delete a saved view (own ones; shared ones for coordinators/admins)."""

    def post(self, request, pk):
        try:
            name = saved_views.saved_view_delete(
                user=request.user, view_id=pk, actor=request.user.get_username()
            )
        except saved_views.SavedViewError as exc:
            messages.error(request, str(exc))
            return redirect_back(request, "saved_view_list")
        messages.success(request, f"Deleted saved view “{name}”.")
        return redirect_back(request, "saved_view_list")
