"""The navigation: only pages that exist, only to users who may open them."""

from django.urls import NoReverseMatch, reverse

NAV_ITEMS = [
    ("Home", "home"),
    ("Companies", "companies:company_list"),
    ("Open slots", "companies:slot_queue"),
    ("People", "people:contact_list"),
    ("Duplicates", "people:resolution_list"),
    ("Renewals", "marketing:renewal_list"),
    ("Campaigns", "marketing:campaign_list"),
    ("Handoffs", "marketing:handoff_list"),
    ("Intake", "intake:batch_list"),
    ("Signals", "signals:signal_list"),
]


def navigation(request):
    items = []
    for label, name in NAV_ITEMS:
        try:
            url = reverse(name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": False})
    # The longest URL that prefixes the current path is the active one (so /companies/slots/
    # lights "Open slots", not "Companies" as well).
    matches = [i for i in items if i["url"] != "/" and request.path.startswith(i["url"])]
    matches += [i for i in items if i["url"] == "/" and request.path == "/"]
    if matches:
        max(matches, key=lambda i: len(i["url"]))["active"] = True
    return {"nav_items": items}
