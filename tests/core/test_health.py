from __future__ import annotations


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_when_database_answers(client):
    assert client.get("/readyz").status_code == 200


def test_readyz_is_503_with_retry_after_when_database_is_down(make_app):
    # Nothing listens on this port.
    app = make_app(DATABASE_URL="postgresql+psycopg://nobody:x@127.0.0.1:9/none?connect_timeout=1")
    response = app.test_client().get("/readyz")
    assert response.status_code == 503
    assert response.headers["Retry-After"] == "10"
    assert app.test_client().get("/healthz").status_code == 200
