"""Organisations and their memberships of hubs."""
