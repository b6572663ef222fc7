"""One date format on every page (issue 17): dates read "7 Dec 2026", datetimes "7 Dec 2026,
14:05" in TIME_ZONE, relative times are ``<time datetime="ISO" title="absolute">``. Pages came in
three formats ("2026-12-07", "Dec. 7, 2026, 2:05 p.m.", "Mon 7 Dec 14:05")."""

import datetime
import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from companies.models import Company
from marketing.models import AcHandoff, Campaign
from outreach_admin import dates
from people.models import Contact, MergeLog
from tests import builders

pytestmark = pytest.mark.django_db

MONTHS = "Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec"
# Formats the app no longer uses anywhere a person reads.
FOREIGN = {
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    "US/EU slashed date": re.compile(r"\b\d{1,2}/\d{1,2}/\d{2,4}\b"),
    "abbreviated month with a dot": re.compile(rf"\b({MONTHS})\. \d"),
    "month before day": re.compile(rf"\b({MONTHS})[a-z]* \d{{1,2}}(,|\b)"),
    "12-hour clock": re.compile(r"\b\d{1,2}(:\d\d)? ?[ap]\.m\.", re.I),
    "weekday prefix": re.compile(r"\b(Mon|Tue|Wed|Thu|Fri|Sat|Sun) \d{1,2} "),
}
OURS = re.compile(rf"\b\d{{1,2}} ({MONTHS}) \d{{4}}(, \d\d:\d\d)?\b")


def visible_text(html: str) -> str:
    """What a reader sees and hovers: text and title attributes. Scripts, styles, form values,
    ``datetime=`` and link targets are for machines and may hold ISO dates."""
    html = re.sub(r"<(script|style)\b.*?</\1>", " ", html, flags=re.S | re.I)
    titles = " ".join(re.findall(r'\btitle="([^"]*)"', html))
    return re.sub(r"<[^>]+>", " ", html) + " " + titles


def foreign_formats(html: str) -> dict[str, list[str]]:
    text = visible_text(html)
    return {name: rx.findall(text) for name, rx in FOREIGN.items() if rx.search(text)}


@pytest.fixture
def demo(client):
    call_command("seed_demo", "--companies", "30", stdout=io.StringIO())
    client.force_login(builders.user("casey"))
    return client


def test_the_check_catches_each_old_format():
    """The regexes flag each format pages used before (so the page test can fail)."""
    for sample in ["2026-12-07", "Dec. 7, 2026", "12/07/2026", "2:05 p.m.", "Mon 7 Dec 14:05"]:
        assert foreign_formats(f"<td>{sample}</td>"), sample
    assert not foreign_formats('<time datetime="2026-12-07T14:05:00+00:00">3 days ago</time>')
    assert not foreign_formats("<td>7 Dec 2026, 14:05</td>")


def test_formats_and_relative_time():
    """Dates "7 Dec 2026", datetimes "7 Dec 2026, 14:05" in TIME_ZONE; relative phrases."""
    at = datetime.datetime(2026, 12, 7, 14, 5, tzinfo=datetime.UTC)
    assert dates.format_date(datetime.date(2026, 12, 7)) == "7 Dec 2026"
    assert dates.format_datetime(at) == "7 Dec 2026, 14:05"
    assert dates.relative(at - datetime.timedelta(days=3), at) == "3 days ago"
    assert dates.relative(at + datetime.timedelta(hours=2), at) == "in 2 hours"
    html = str(dates.time_element(at - datetime.timedelta(days=3), at))
    assert html == (
        '<time datetime="2026-12-04T14:05:00+00:00" title="4 Dec 2026, 14:05">3 days ago</time>'
    )


@pytest.mark.parametrize(
    "url",
    [
        "home",
        "companies:company_list",
        "people:contact_list",
        "people:resolution_list",
        "people:merge_list",
        "marketing:renewal_list",
        "marketing:campaign_list",
        "marketing:handoff_list",
        "marketing:booking_list",
        "signals:signal_list",
        "intake:batch_list",
        "intake:queue_list",
        "intake:audit_list",
        "intake:run_list",
    ],
)
def test_list_pages_use_one_date_format(demo, url):
    """Each main list page on the demo data shows dates only as "7 Dec 2026[, 14:05]"."""
    response = demo.get(reverse(url))
    assert response.status_code == 200
    html = response.content.decode()
    assert foreign_formats(html) == {}


def test_detail_pages_use_one_date_format(demo):
    """Company, person, campaign and handoff pages too; relative times carry the absolute one."""
    company = Company.objects.filter(slots__contact__isnull=False).first()
    person = Contact.objects.filter(status="active", verification__isnull=False).first()
    handoff = AcHandoff.objects.filter(status="pending").first()
    pages = [
        reverse("companies:company", args=[company.pk]),
        reverse("people:contact", args=[person.pk]),
        reverse("marketing:campaign", args=[Campaign.objects.first().pk]),
        reverse("marketing:handoff", args=[handoff.pk]),
    ]
    # a pair at two companies: its compare page offers "link as job change", with dates
    from people.models import ResolutionQueue

    pair = ResolutionQueue.objects.create(
        contact_primary=builders.contact("Jo Park", company=builders.company(slots=False)),
        contact_duplicate=builders.contact("Joanna Park", company=builders.company(slots=False)),
        conflict_type="name_similar",
        score=0.8,
    )
    pages.append(reverse("people:resolution", args=[pair.pk]))
    merge = MergeLog.objects.first()
    if merge:
        pages.append(reverse("people:merge", args=[merge.pk]))
    for page in pages:
        html = demo.get(page).content.decode()
        assert foreign_formats(html) == {}, page
    html = demo.get(reverse("marketing:handoff", args=[handoff.pk])).content.decode()
    assert re.search(r'<time datetime="[^"]+" title="\d{1,2} \w{3} \d{4}, \d\d:\d\d">', html)
    assert OURS.search(visible_text(html))
