"""Invitations: a coordinator or organisation admin invites a person by e-mail."""
