import os
import warnings

import pytest
from hypothesis import HealthCheck, settings

# "ci" (the default): a fixed set of examples, so a run is reproducible; "deep": many random
# examples, for looking for bugs (HYPOTHESIS_PROFILE=deep python -m pytest tests/...).
settings.register_profile("ci", max_examples=25, derandomize=True, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.register_profile("deep", max_examples=300, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))


@pytest.fixture
def sim():
    """The backend module, set up fresh for each test and ended afterwards."""
    import pynn_spinnaker2 as sim
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield sim
    sim.end()
