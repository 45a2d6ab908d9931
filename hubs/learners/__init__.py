"""Learners and enrolments: who learns where, per school year, with the least personal data.

Programmes at a hub, learners known by their organisation's reference, group and
individual enrolments, the import of school exports, and the counting rule
(:mod:`hubs.learners.counting`) that every report uses.
"""
