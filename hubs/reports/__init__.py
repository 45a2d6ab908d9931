"""Reports: growth of the learner numbers, use of the hubs and company training.

Every report is built the same way: options (years, basis, count, filters) and a scope
(what the reader may see) go into a query layer that aggregates in the database
(:mod:`hubs.reports.growth`, :mod:`hubs.reports.usage`, :mod:`hubs.reports.training`);
the result is a :class:`hubs.reports.model.Report` of sections, which the page, the API,
the CSV/XLSX/PDF downloads and the ``flask report`` command all render. Learners are
counted by :mod:`hubs.learners.counting` and nothing else.
"""
