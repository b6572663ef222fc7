"""Field provenance panel on the person and company pages (issue 16): per field, the source,
load (linked), batch and time of the value, and the vendor values the survivorship rule kept
out ("Kept your edit; apollo offered …")."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from intake.models import RawLoad
from people.models import Contact
from people.provenance import field_label
from tests import builders as b

ROW = {
    "email": "ann@acme.example", "name": "Ann Lee", "title": "Chief Financial Officer",
    "seniority": "c_suite", "company": "Acme", "website": "acme.example",
}  # fmt: skip


def _upload_and_promote(client, rows, batch):
    data = {"source": "apollo", "batch_id": batch}
    data["file"] = SimpleUploadedFile("rows.json", json.dumps(rows).encode())
    assert client.post(reverse("intake:batch_upload"), data, follow=True).status_code == 200
    client.post(reverse("intake:batch_promote"), {"batch_id": batch, "scope": "batch"})


@pytest.mark.django_db
def test_person_panel_names_source_load_and_batch(client):
    client.force_login(b.user(group="coordinator"))
    _upload_and_promote(client, [ROW], "prov-1")
    ann = Contact.objects.get(email="ann@acme.example")
    load = RawLoad.objects.get(batch_id="prov-1")
    page = client.get(reverse("people:contact", args=[ann.pk]))
    panel = page.content.decode().split('id="field-provenance"')[1].split("</table>")[0]
    assert ">Title<" in panel and ">Seniority<" in panel
    assert f'href="{reverse("intake:load", args=[load.pk])}"' in panel
    assert f'href="{reverse("intake:batch", args=["prov-1"])}"' in panel and "apollo" in panel
    assert {f["field"] for f in page.context["provenance"]} >= {"title", "seniority"}
    employer = f'href="{reverse("companies:company", args=[ann.company_id])}">Acme</a>'
    assert employer in panel and "company #" not in panel  # the employer by name, not by id


@pytest.mark.django_db
def test_a_coordinators_edit_is_kept_and_the_vendor_offer_shown(client):
    client.force_login(b.user(group="coordinator"))
    b.contact("Ann Lee", email="ann@acme.example", title="Finance chief")  # made by hand
    _upload_and_promote(client, [ROW], "prov-2")
    ann = Contact.objects.get(email="ann@acme.example")
    assert ann.title == "Finance chief"
    page = client.get(reverse("people:contact", args=[ann.pk])).content.decode()
    panel = page.split('id="field-provenance"')[1].split("</table>")[0]
    assert "Kept your edit; apollo offered “Chief Financial Officer”" in panel


@pytest.mark.django_db
def test_company_panel(client):
    client.force_login(b.user(group="coordinator"))
    _upload_and_promote(client, [{**ROW, "industry": "Insurance"}], "prov-3")
    ann = Contact.objects.get(email="ann@acme.example")
    page = client.get(reverse("companies:company", args=[ann.company_id]))
    panel = page.content.decode().split('id="field-provenance"')[1].split("</table>")[0]
    assert ">Industry<" in panel and "apollo" in panel


@pytest.mark.django_db
def test_a_hand_made_person_gets_a_plain_empty_panel(client):
    client.force_login(b.user(group="coordinator"))
    p = b.contact("Hand Made")
    page = client.get(reverse("people:contact", args=[p.pk])).content.decode()
    assert "No field was set by a vendor file yet" in page


def test_field_labels_read_like_words():
    assert field_label("work_phone_e164") == "Work phone"
    assert field_label("linkedin_url") == "LinkedIn"
    assert field_label("company_linkedin_url") == "Company LinkedIn"
    assert field_label("employee_count") == "Employee count"


@pytest.mark.django_db
def test_a_phone_that_is_not_a_valid_number_is_shown_as_not_stored(client):
    """Rule: an invalid vendor phone is kept raw (on the load), its E.164 column stays NULL; the
    person page's provenance panel says what was offered and that it was not stored."""
    client.force_login(b.user(group="coordinator"))
    row = {**ROW, "mobile_phone": "07700 900123", "work_phone": "+44 20 7946 0958",
           "country": "United Kingdom"}  # fmt: skip
    _upload_and_promote(client, [row], "prov-phone")
    ann = Contact.objects.get(email="ann@acme.example")
    assert ann.personal_phone_e164 is None and ann.work_phone_e164 == "+442079460958"
    load = RawLoad.objects.get(batch_id="prov-phone")
    assert load.raw_data["mobile_phone"] == "07700 900123"  # the raw value is kept on the load
    page = client.get(reverse("people:contact", args=[ann.pk]))
    panel = page.content.decode().split('id="field-provenance"')[1].split("</table>")[0]
    assert (
        "Mobile phone offered by apollo was not a valid number: “07700 900123” (not stored)"
        in panel
    )
    assert f'href="{reverse("intake:load", args=[load.pk])}"' in panel
    mobile = next(f for f in page.context["provenance"] if f["field"] == "personal_phone_e164")
    assert mobile["last_set"] is None and mobile["invalid_only"]
    row_html = panel.split(">Mobile phone<")[1].split("</tr>")[0]
    assert "(entered by hand)" not in row_html and "a coordinator" not in row_html
