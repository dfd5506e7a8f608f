"""The compiled neuron kernels against the numpy expressions they replaced: bit for bit."""

import numpy as np
import pytest

from pynn_spinnaker2.neuron_models import NATIVE_MODELS
from pynn_spinnaker2.neuron_models.base import TickContext, threshold_and_reset


def _if_curr_delta_numpy(b, inputs):
    """The numpy step of IF_curr_delta before its numba kernel."""
    active = b["refrac_count"] == 0
    v = b["v_rel"]
    v_new = b["i_offset"] * b["dc_to_v"] + b["expm1_v"] * v + v + (inputs[0] + inputs[1])
    np.copyto(v, v_new, where=active)
    np.subtract(b["refrac_count"], 1, out=b["refrac_count"], where=~active)
    return threshold_and_reset(b)


@pytest.mark.parametrize("dt", [0.1, 1.0])
def test_if_curr_delta_kernel_equals_numpy_bit_for_bit(dt):
    model = NATIVE_MODELS["if_curr_delta"]
    rng = np.random.default_rng(3)
    n = 500
    params = {"tau_m": rng.uniform(5, 30, n), "cm": rng.uniform(0.1, 1, n),
              "v_rest": rng.uniform(-70, -60, n), "v_thresh": np.full(n, -50.0),
              "v_reset": rng.uniform(-75, -65, n), "tau_refrac": rng.uniform(0, 5, n),
              "i_offset": rng.uniform(0, 1.5, n)}
    initial = {"v": rng.uniform(-70, -50, n)}
    compiled = model.build_block(params, initial, dt)
    reference = {k: v.copy() for k, v in compiled.items()}
    spikes = 0
    for tick in range(400):
        inputs = rng.normal(0.3, 1.0, (4, n)).astype(np.float32)
        got = model.step(compiled, inputs, TickContext(tick, dt))
        want = _if_curr_delta_numpy(reference, inputs)
        assert np.array_equal(got, want)
        spikes += int(want.sum())
        for key in ("v_rel", "refrac_count"):
            assert np.array_equal(compiled[key], reference[key]), key
    assert spikes > 100   # the comparison covered resets and refractory ticks
