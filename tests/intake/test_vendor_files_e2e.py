"""Vendor files end to end (issue 16): each fixture goes through the real upload view, the
mapping step with the detected preset and the real promote view; then the person and company
pages (through the client) must show >= 90% of the mapped, non-empty source fields of the rows
that have a valid e-mail. The percentage per preset is printed."""

import html
import re
from pathlib import Path

import pytest
from django.urls import reverse

from intake.models import RawLoad
from people.models import Contact
from tests import builders as b

DATA = Path(__file__).parent / "data"
UPLOAD = reverse("intake:batch_upload")
MAP = reverse("intake:batch_upload_map")
THRESHOLD = 0.90

PERSON_FIELDS = (
    "email", "full_name", "name", "first_name", "last_name", "title", "seniority",
    "department", "phone", "work_phone", "mobile_phone", "linkedin_url", "city", "state",
    "country",
)  # fmt: skip
COMPANY_FIELDS = (
    "company_name", "company", "website", "company_website", "domain", "company_linkedin_url",
    "company_phone", "employee_count", "industry", "company_city", "company_state",
    "company_country",
)  # fmt: skip
# raw key -> the "_norm" keys whose value the page shows instead of the vendor's spelling
NORMALISED = {
    "email": ("email",),
    "full_name": ("full_name",),
    "name": ("full_name",),
    "first_name": ("first_name",),
    "last_name": ("last_name",),
    "phone": ("phone_e164",),
    "work_phone": ("work_phone_e164",),
    "mobile_phone": ("mobile_phone_e164",),
    "company_phone": ("company_phone_e164",),
    "linkedin_url": ("linkedin_url",),
    "company_linkedin_url": ("company_linkedin_url",),
    "website": ("website_url", "domain"),
    "company_website": ("website_url", "domain"),
    "domain": ("domain",),
    "employee_count": ("employee_count",),
}

FIXTURES = [
    ("apollo", "apollo_people.csv", "apollo"),
    ("hubspot", "hubspot_contacts.csv", "other"),
    ("utf16-tab", "unicode_export.txt", "other"),
    ("apify", "apify_linkedin.json", "apify"),
]


def _text(response) -> str:
    """The page as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    body = re.sub(r"<[^>]+>", " ", response.content.decode())
    return re.sub(r"\s+", " ", html.unescape(body))


def _upload_and_promote(client, name, source, batch):
    with (DATA / name).open("rb") as fh:
        response = client.post(UPLOAD, {"source": source, "batch_id": batch, "file": fh})
    assert response.status_code == 302 and response.url == MAP, response.content[:500]
    form = client.get(MAP).context["form"]
    choices = {f"col_{n}": form[f"col_{n}"].initial for n in range(len(form.headers))}
    response = client.post(MAP, choices, follow=True)
    assert response.status_code == 200
    response = client.post(
        reverse("intake:batch_promote"), {"batch_id": batch, "scope": "batch"}, follow=True
    )
    assert response.status_code == 200
    return response


def _candidates(key, raw, norm):
    """What the page may show for one raw field: its normalised forms, else the vendor value."""
    shown = [str(norm[k]) for k in NORMALISED.get(key, ()) if norm.get(k) not in (None, "")]
    if key in ("employee_count",) and not shown:
        digits = re.sub(r"\D", "", raw)
        shown = [digits] if digits else []
    return shown or [" ".join(raw.split())]  # a CR/LF inside a cell shows as a space


def _coverage(client, batch):
    """(shown, mapped, misses) over the promoted loads of ``batch``."""
    pages: dict[str, str] = {}

    def page(url):
        if url not in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            pages[url] = _text(response)
        return pages[url]

    shown = mapped = 0
    misses = []
    for load in RawLoad.objects.filter(batch_id=batch, status="promoted").order_by("load_id"):
        norm = load.raw_data.get("_norm") or {}
        if not norm.get("email"):
            continue
        person = Contact.objects.filter(email__iexact=norm["email"]).first()
        assert person is not None, norm["email"]
        person_text = page(reverse("people:contact", args=[person.pk]))
        company_text = (
            page(reverse("companies:company", args=[person.company_id]))
            if person.company_id
            else ""
        )
        for keys, text in ((PERSON_FIELDS, person_text), (COMPANY_FIELDS, company_text)):
            for key in keys:
                raw = load.raw_data.get(key)
                if not isinstance(raw, str) or not raw.strip():
                    continue
                mapped += 1
                options = _candidates(key, raw, norm)
                if any(o in text for o in options):
                    shown += 1
                else:
                    misses.append((load.load_id, key, options))
    return shown, mapped, misses


@pytest.mark.parametrize(("preset", "name", "source"), FIXTURES, ids=[f[0] for f in FIXTURES])
@pytest.mark.django_db
def test_vendor_file_fields_reach_the_record_pages(client, preset, name, source):
    client.force_login(b.user(group="coordinator"))
    batch = f"e2e-{preset}"
    result = _upload_and_promote(client, name, source, batch)
    assert "People:" in _text(result)  # the promotion says what it did
    shown, mapped, misses = _coverage(client, batch)
    share = shown / mapped if mapped else 0.0
    print(f"\n{preset}: {shown}/{mapped} mapped source fields on the record pages = {share:.1%}")
    for miss in misses[:40]:
        print("  missing:", miss)
    assert mapped > 0
    assert share >= THRESHOLD, (preset, share, misses[:20])


@pytest.mark.django_db
def test_non_us_phones_and_last_first_names_show_correctly(client):
    """A UK work phone shows in E.164, "Watanabe, Kenji" shows as "Kenji Watanabe"."""
    client.force_login(b.user(group="coordinator"))
    _upload_and_promote(client, "apollo_people.csv", "apollo", "e2e-uk")
    mary = Contact.objects.get(email="mary.obrien@harbourfreight.co.uk")
    text = _text(client.get(reverse("people:contact", args=[mary.pk])))
    assert "+442079460958" in text and "Mary O'Brien" in text
    _upload_and_promote(client, "unicode_export.txt", "other", "e2e-u16")
    kenji = Contact.objects.filter(last_name="Watanabe").first()
    assert kenji is not None
    text = _text(client.get(reverse("people:contact", args=[kenji.pk])))
    assert "Kenji Watanabe" in text and "Watanabe, Kenji" not in text.split("Field provenance")[0]
