"""Attendance: who came to a booked visit, recorded by the hub's coordinator.

One record per booking (bundle): the number present, or for visits with a list of names
(a course session) which learners came. From it reports get booked versus realised
participants, contact hours and no-shows (:mod:`hubs.attendance.queries`). The register
("today's visits") is a tablet-friendly page reached from the coordinator's day.
"""
