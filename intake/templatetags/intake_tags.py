"""Intake panels shown on lower apps' detail pages (template-level composition).

``{% load intake_tags %}{% lineage company_id=company.pk %}`` renders the raw loads behind a
golden record (one query) where the page's own view neither computes nor imports it.
"""

from django import template

from intake.selectors import lineage_for_company, lineage_for_contact

register = template.Library()


@register.inclusion_tag("intake/lineage.html")
def lineage(company_id=None, contact_id=None):
    """The lineage of a company or of a person (``intake/lineage.html``)."""
    if company_id is not None:
        return {"lineage": lineage_for_company(company_id)}
    return {"lineage": lineage_for_contact(contact_id)}
