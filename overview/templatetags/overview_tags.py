"""Panels of the overview floor shown on lower apps' detail pages (template-level composition).

``{% load overview_tags %}{% timeline company_id=company.pk %}`` renders the outreach timeline
(one query, inside the request's transaction like the rest of the page) where the page's own
view neither computes nor imports it.
"""

from django import template

from overview.timeline import timeline_for

register = template.Library()


@register.inclusion_tag("includes/timeline.html")
def timeline(company_id=None, contact_id=None, title=None):
    """The timeline of a company, a person or both (``includes/timeline.html``)."""
    return {
        "timeline": timeline_for(company_id=company_id, contact_id=contact_id),
        "timeline_title": title,
    }
