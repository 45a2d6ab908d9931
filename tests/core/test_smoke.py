from tests.helpers import PASSWORD


def test_login_page_is_dutch_by_default(client):
    response = client.get("/login")
    assert response.status_code == 200
    assert '<html lang="nl">' in response.get_data(as_text=True)


def test_signed_in_user_sees_start_page(client, make, login):
    hub = make.hub(name="TechnoHUB Test")
    user = make.user(("coordinator", hub))
    login(client, user, PASSWORD)
    page = client.get("/").get_data(as_text=True)
    assert "TechnoHUB Test" in page
