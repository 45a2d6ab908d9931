"""The JSON API under ``/api/v1``: token auth, shared conventions, OpenAPI document."""
