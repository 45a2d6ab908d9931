"""Accounts: users, role grants, sign-in, sessions and API tokens."""
