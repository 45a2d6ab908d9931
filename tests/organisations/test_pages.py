from __future__ import annotations


def test_funders_do_not_get_the_organisation_list(client, make, login):
    login(client, make.user("funder"))
    assert client.get("/organisations").status_code == 403


def test_bookers_see_only_their_own_organisation(client, make, login):
    hub = make.hub()
    mine = make.organisation("vo_school", hubs=(hub,), name="Mijn School")
    make.organisation("vo_school", hubs=(hub,), name="Andere School")
    login(client, make.user(("booker", mine)))
    html = client.get("/organisations").get_data(as_text=True)
    assert "Mijn School" in html and "Andere School" not in html
