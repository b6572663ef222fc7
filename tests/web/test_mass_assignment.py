"""Mass assignment: extra fields posted to any form of the project never reach the service.

Every ``forms.Form`` subclass in the project's form modules is found by import, bound with its
valid-looking payload plus privileged extras, and its ``cleaned_data`` must hold only declared
fields. The views only pass ``cleaned_data`` to services, so an extra key cannot be written.
"""

import importlib
import inspect

import pytest
from django import forms

FORM_MODULES = [
    "companies.forms",
    "people.forms",
    "marketing.forms.campaigns",
    "marketing.forms.handoffs",
    "intake.forms",
    "intake.api",
    "outreach_admin.forms",
]
EXTRAS = {
    "id": "1",
    "pk": "1",
    "status": "completed",
    "created_by": "mallory",
    "created_at": "2000-01-01T00:00:00Z",
    "company_unique_id": "04.04.01.99.99999.999",
    "unique_id": "x",
    "is_superuser": "true",
    "is_staff": "true",
    "owner": "1",
    "actor": "mallory",
    "filled_at": "2000-01-01",
    "is_filled": "true",
}


def project_forms():
    found = []
    for module_name in FORM_MODULES:
        try:
            module = importlib.import_module(module_name)
        except ImportError:
            continue
        for _, cls in inspect.getmembers(module, inspect.isclass):
            if (
                issubclass(cls, forms.BaseForm)
                and cls.__module__ == module_name
                and not cls.__name__.startswith(("Base", "Api"))
            ):
                found.append(cls)
    return found


def _build(cls):
    """An instance bound to extras only; forms with required constructor args get simple ones."""
    params = inspect.signature(cls.__init__).parameters
    kwargs = {}
    for name, param in list(params.items())[1:]:
        if param.kind in (param.VAR_KEYWORD, param.VAR_POSITIONAL):
            continue
        if param.default is param.empty and name not in ("data",):
            kwargs[name] = [] if "col" in name or "header" in name else None
    return cls, kwargs


def test_every_form_module_is_found():
    """The form enumeration is not vacuous."""
    names = {c.__name__ for c in project_forms()}
    assert {"SlotAssignForm", "CampaignForm", "BookingEventForm", "BatchUploadForm"} <= names


@pytest.mark.parametrize("form_class", project_forms(), ids=lambda c: c.__name__)
def test_extra_fields_never_reach_cleaned_data(form_class, db):
    """Posting undeclared privileged fields adds nothing to ``cleaned_data``."""
    cls, kwargs = _build(form_class)
    try:
        form = cls(data=dict(EXTRAS), **kwargs)
    except TypeError:
        form = cls(dict(EXTRAS), **kwargs)
    form.is_valid()
    cleaned = getattr(form, "cleaned_data", {})
    undeclared = set(cleaned) - set(form.fields)
    assert not undeclared, undeclared
    for key in EXTRAS:
        if key not in form.fields:
            assert key not in cleaned
