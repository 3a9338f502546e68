"""The shared kubectl scenarios assert in a helper module: let pytest explain their failures."""

import pytest

pytest.register_assert_rewrite("tests.process.kubectl_suite")
