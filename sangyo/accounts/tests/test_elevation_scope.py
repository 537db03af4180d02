"""The other administrative actions that ask for the password again: issuing or revoking API
tokens and carrying out a deletion (anonymisation). Without a fresh elevation nothing
happens and the user is sent to confirm."""

import pytest

from sangyo.integrations.models import ApiToken
from sangyo.privacy import services as privacy

from .conftest import PASSWORD

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def elevation(settings):
    settings.SANGYO_ELEVATION_REQUIRED = True


def test_api_tokens_page_needs_elevation(client, users):
    client.force_login(users["admin"])
    response = client.get("/staff/integrations/tokens/")
    assert response["Location"] == "/accounts/elevate/?next=%2Fstaff%2Fintegrations%2Ftokens%2F"
    posted = client.post(
        "/staff/integrations/tokens/", {"name": "基幹連携", "scopes": "registry:read"}
    )
    assert posted["Location"].startswith("/accounts/elevate/")
    assert not ApiToken.objects.exists()
    client.post("/accounts/elevate/", {"password": PASSWORD})
    assert client.get("/staff/integrations/tokens/").status_code == 200


def test_anonymisation_needs_elevation(client, users):
    req = privacy.request_file_own(user=users["business"], kind="deletion", reason="退会のため")
    client.force_login(users["officer"])
    response = client.post(f"/staff/privacy/{req.pk}/apply/", {"confirm": "yes"})
    assert response["Location"].startswith("/accounts/elevate/")
    req.refresh_from_db()
    users["business"].refresh_from_db()
    assert req.status == "received" and users["business"].is_active
    client.post("/accounts/elevate/", {"password": PASSWORD})
    client.post(f"/staff/privacy/{req.pk}/apply/", {"confirm": "yes"})
    req.refresh_from_db()
    users["business"].refresh_from_db()
    assert req.status == "done" and not users["business"].is_active
