"""Field provenance of a company for the record page's panel (rows written by
vault.f_promote_contacts v3 into company.field_provenance; rule in docs/SURVIVORSHIP.md)."""

from __future__ import annotations

from companies.models import CompanyFieldProvenance
from people.provenance import provenance_panel


def company_field_provenance(company_id: int) -> list[dict]:
    """One row per field: who/which source and load last set it and when, plus the vendor values
    refused since then (see :func:`people.provenance.provenance_panel`). One query."""
    return provenance_panel(CompanyFieldProvenance.objects.filter(company_id=company_id))
