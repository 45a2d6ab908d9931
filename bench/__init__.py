"""``make bench``: performance figures against their floors, measured side by side.

``python -m bench [--quick]`` fills fresh databases (:mod:`bench.generate`), runs the cases
in :mod:`bench.cases` and prints one table; it exits non-zero when a target is missed.
See bench/README.md for the figures measured and how to read them.
"""
