from tests.learners.conftest import learn  # noqa: F401  (the learner factories)
