"""Errors as friendly pages (HTML, in the user's language) or JSON (API), never a trace."""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, jsonify, render_template, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import HTTPException, InternalServerError

from hubs.api.auth import is_api_request
from hubs.errors import DomainError, InvalidInput

TITLES = {
    400: _l("The request could not be understood"),
    401: _l("Please sign in"),
    403: _l("You may not do this"),
    404: _l("Page not found"),
    405: _l("This action is not possible here"),
    409: _l("This conflicts with something else"),
    413: _l("That is too large"),
    422: _l("Some input is not correct"),
    429: _l("Too many attempts"),
    500: _l("Something went wrong on our side"),
    503: _l("Hubs is briefly unavailable"),
}
EXPLANATIONS = {
    400: _l("Go back and try again. If you used a form, reload it first."),
    401: _l("Sign in to see this page."),
    403: _l("Your account does not have the rights for this. Ask your coordinator."),
    404: _l("The page does not exist or you do not have access to it."),
    405: _l("Go back and use the buttons on the page."),
    409: _l("Reload the page to see the current state and try again."),
    413: _l("The file or form is larger than Hubs accepts. Try a smaller file."),
    422: _l("Go back and check what you entered."),
    429: _l("Wait a minute before you try again."),
    500: _l("The error has been logged. Please try again later."),
    503: _l("Please try again in a minute."),
}


def _flatten(messages: Any) -> dict[str, Any]:
    """webargs reports errors per location ({"json": {...}}); the API reports per field."""
    if not isinstance(messages, dict):
        return {"_schema": messages}
    flat: dict[str, Any] = {}
    for location, errors in messages.items():
        if location in ("json", "query", "form", "files", "headers", "path") and isinstance(
            errors, dict
        ):
            flat.update(errors)
        else:
            flat[location] = errors
    return flat


def json_error(status: int, message: Any, **extra: Any) -> Response:
    body = {"status": status, "error": _status_name(status), "message": str(message)}
    body.update({k: v for k, v in extra.items() if v is not None})
    response = jsonify(body)
    response.status_code = status
    return response


def _status_name(status: int) -> str:
    from werkzeug.http import HTTP_STATUS_CODES

    return HTTP_STATUS_CODES.get(status, "Error").lower().replace(" ", "_").replace("'", "")


def handle_http_exception(error: HTTPException) -> Any:
    status = error.code or 500
    headers = dict(error.get_headers() or [])
    headers.pop("Content-Type", None)
    if is_api_request():
        data = getattr(error, "data", None) or {}
        fields = None
        if "messages" in data or "errors" in data:
            fields = _flatten(data.get("errors") or data.get("messages"))
        message = data.get("message") or error.description or TITLES.get(status, "")
        if status == 422 and fields:
            message = "Some fields are not valid: " + ", ".join(sorted(fields))
        response = json_error(status, message, fields=fields)
        if status == 401:
            headers["WWW-Authenticate"] = 'Bearer realm="hubs"'
        response.headers.update(headers)
        return response
    status = status if status in TITLES else 500 if status >= 500 else 400
    html = render_template(
        "error.html",
        status=status,
        title=TITLES[status],
        explanation=EXPLANATIONS[status],
    )
    return Response(html, status, headers)


def handle_domain_error(error: DomainError) -> Any:
    if is_api_request():
        fields = error.fields if isinstance(error, InvalidInput) else None
        if fields:
            fields = {k: [str(m) for m in v] for k, v in fields.items()}
        return json_error(
            error.status, error.message, code=error.code, fields=fields, **error.details
        )
    html = render_template(
        "error.html",
        status=error.status,
        title=TITLES.get(error.status, TITLES[409]),
        explanation=error.message,
    )
    return Response(html, error.status)


def handle_unexpected(error: Exception) -> Any:
    if isinstance(error, HTTPException):
        return handle_http_exception(error)
    from flask import current_app

    current_app.logger.exception("unhandled error on %s %s", request.method, request.path)
    from hubs.extensions import db

    db.session.rollback()
    return handle_http_exception(InternalServerError())


def init_app(app: Flask) -> None:
    app.register_error_handler(HTTPException, handle_http_exception)
    app.register_error_handler(DomainError, handle_domain_error)
    # Tests let unexpected errors propagate (a 500 fails the test loudly) unless a test
    # turns propagation off to see the friendly page.
    if not app.testing or app.config.get("PROPAGATE_EXCEPTIONS") is False:
        app.register_error_handler(Exception, handle_unexpected)
