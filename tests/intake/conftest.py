import pytest

from tests.intake.helpers import set_role


@pytest.fixture
def app_role(db):
    """For ``owner`` tests: start as the app role (``set_role(None)`` returns to the owner)."""
    set_role("outreach_app")
