import warnings

import pytest


@pytest.fixture
def sim():
    """The backend module, set up fresh for each test and ended afterwards."""
    import pynn_spinnaker2 as sim
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        yield sim
    sim.end()
