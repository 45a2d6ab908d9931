"""Funders read the reports of their programmes only, with small numbers hidden everywhere."""

from __future__ import annotations

from tests.helpers import login_through_form

DEMO_PASSWORD = "hubs-demo-2022"
QUERY = "from=2021&to=2022"
SMALL = "from=2020&to=2021"  # the test groups are in 2021/22
PROVINCE, MINISTRY = "funder@provincie.example", "funder@ezk.example"


def _as(client, demo, email):
    login_through_form(client, demo["users"][email], DEMO_PASSWORD)
    return client


def test_the_ministry_sees_mkb_deal_programmes_only(client, demo, api_headers, frozen):
    _as(client, demo, MINISTRY)
    html = client.get(f"/reports/growth?{QUERY}").get_data(as_text=True)
    assert "MBO Techniek" in html and "Dagelijks techniekonderwijs" in html
    assert "Bijscholing werkenden" not in html  # province and companies only
    body = client.get(
        f"/api/v1/reports/growth?{QUERY}", headers=api_headers(demo["users"][MINISTRY])
    ).get_json()
    programmes = {r["programme"] for r in body["rows"]} - {None}
    assert "Bijscholing werkenden" not in programmes and "MBO Techniek" in programmes
    for fmt in ("csv", "xlsx", "pdf"):
        response = client.get(f"/reports/growth.{fmt}?{QUERY}")
        assert response.status_code == 200 and response.get_data(), fmt
    assert "Bijscholing werkenden" not in client.get(f"/reports/growth.csv?{QUERY}").get_data(
        as_text=True
    )


def test_the_province_sees_every_programme_with_the_letters_numbers(client, demo, frozen):
    _as(client, demo, PROVINCE)
    html = client.get(f"/reports/growth?{QUERY}").get_data(as_text=True)
    assert "Bijscholing werkenden" in html
    for old, new in ((27, 124), (77, 124)):
        assert f"van {old} naar {new}" in html or f"from {old} to {new}" in html


def test_funders_cannot_narrow_the_report_to_tell_small_groups_apart(client, demo, frozen):
    _as(client, demo, PROVINCE)
    mbo = demo["programmes"]["mbo"]
    narrowed = client.get(f"/reports/growth.csv?{QUERY}&programme_id={mbo}&by_level=1")
    narrowed_text = narrowed.get_data(as_text=True)
    whole_text = client.get(f"/reports/growth.csv?{QUERY}").get_data(as_text=True)
    assert narrowed_text == whole_text
    assert 'name="programme_id"' not in client.get(f"/reports/growth?{QUERY}").get_data(
        as_text=True
    )


def test_small_numbers_are_hidden_in_every_format_for_funders(client, small, api_headers):
    headers = api_headers(small["funder"])
    body = client.get(f"/api/v1/reports/growth?{SMALL}", headers=headers).get_json()
    rows = {r["programme"]: r for r in body["rows"]}
    tiny = rows["Klein programma"]
    assert tiny["to_count"] is None and tiny["suppressed"] is True
    assert tiny["change"] is None and tiny["change_pct"] is None and tiny["factor"] is None
    assert "4" not in tiny["sentence"]
    # The hub total (154) would give the 4 away next to 120 and 30: one more is hidden.
    partner = rows["Derde programma"]
    assert partner["to_count"] is None and partner["suppressed"] is True
    assert rows["Groot programma"]["to_count"] == 120
    login_through_form(client, small["funder"])
    csv_text = client.get(f"/reports/growth.csv?{SMALL}").get_data(as_text=True)
    assert "<10" in csv_text and ",4," not in csv_text
    html = client.get(f"/reports/growth?{SMALL}").get_data(as_text=True)
    assert "&lt;10" in html
    for fmt in ("xlsx", "pdf"):
        response = client.get(f"/reports/growth.{fmt}?{SMALL}")
        assert response.status_code == 200 and response.get_data(), fmt


def test_coordinators_see_exact_numbers(client, small, api_headers):
    headers = api_headers(small["coordinator"])
    body = client.get(f"/api/v1/reports/growth?{SMALL}", headers=headers).get_json()
    rows = {r["programme"]: r for r in body["rows"]}
    assert rows["Klein programma"]["to_count"] == 4
    assert rows["Klein programma"]["suppressed"] is False


def test_the_label_follows_the_threshold_setting(make_app):
    from hubs.funders.reporting import label
    from hubs.funders.suppression import Mark, threshold

    for setting, expected in ((3, 5), (20, 20), (10, 10)):
        with make_app(SMALL_NUMBER_THRESHOLD=setting).app_context():
            assert threshold() == expected  # never below 5
            assert label(Mark.PRIMARY, threshold()) == f"<{expected}"
