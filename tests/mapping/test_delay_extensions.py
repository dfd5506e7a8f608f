"""Stage delay_extensions (add_delay_extensions) on hand-made networks, with
validate.check_delay_extensions on the output.

Stages are 64 ticks: a delay of D ticks takes s = (D - 1) // 64 stages and keeps D - 64 s."""

import dataclasses

import numpy as np
import pytest

from factories import lif, network, projection
from pynn_spinnaker2.errors import InvariantError, ParameterRangeError
from pynn_spinnaker2.ir import _frozen
from pynn_spinnaker2.mapping.delay_extensions import add_delay_extensions
from pynn_spinnaker2.mapping.validate import CHECKS

# (pre, post, delay in ms at dt = 1): stages 0, 0, 1, 2, 3 with remainders 10, 64, 1, 2, 8
SYNAPSES = [(0, 0, 10.0), (1, 0, 64.0), (0, 1, 65.0), (1, 1, 130.0), (1, 0, 200.0)]


def _net():
    pre, post, delay = (np.array(c) for c in zip(*SYNAPSES))
    order = np.argsort(post, kind="stable")
    return network([lif(0, 2), lif(1, 2)],
                   [projection(0, 0, 1, (pre[order], post[order]), weight=0.5,
                               delay=delay[order], label="long")])


def test_long_delays_go_through_an_extension_with_the_remainder_left_on_the_synapse():
    user = _net()
    out = add_delay_extensions(user)
    CHECKS["delay_extensions"](user, out)
    (ext,) = out.delay_extensions
    assert (ext.population, ext.source, ext.n_stages, ext.stage_ticks) == (2, 0, 3, 64)
    spec = out.populations[2]
    assert (spec.model, spec.size) == ("delay_extension", 2 * 3)
    # the short part keeps id 0 and the synapses of at most 64 ticks
    short = out.projections[0]
    assert sorted(zip(short.pre_index.tolist(), short.post_index.tolist(),
                      short.delay.tolist())) == [(0, 0, 10.0), (1, 0, 64.0)]
    # the input projection: each source neuron with long delays onto its stage-1 entry
    inp = out.projections[ext.input_projection]
    assert (inp.pre, inp.post, inp.origin) == (0, 2, -1)
    np.testing.assert_array_equal(inp.pre_index, [0, 1])
    np.testing.assert_array_equal(inp.post_index, [0, 3])
    np.testing.assert_array_equal(inp.delay, [1.0, 1.0])
    # the long part: from (neuron i, stage s) = entry i * 3 + s - 1, delay D - 64 s
    (long,) = [p for p in out.projections if p.origin == 0]
    assert (long.pre, long.post, long.label) == (2, 1, "long")
    assert sorted(zip(long.pre_index.tolist(), long.post_index.tolist(),
                      long.delay.tolist())) == [(0, 1, 1.0), (4, 1, 2.0), (5, 0, 8.0)]


def test_a_network_without_long_delays_is_returned_unchanged():
    user = network([lif(0, 2)], [projection(0, 0, 0, [(0, 1), (1, 0)], delay=64.0)])
    out = add_delay_extensions(user)
    assert out is user
    CHECKS["delay_extensions"](user, out)


def test_a_delay_beyond_every_extension_is_refused():
    user = network([lif(0, 1)], [projection(0, 0, 0, [(0, 0)], delay=1e6)])
    with pytest.raises(ParameterRangeError):
        add_delay_extensions(user)


def test_check_delay_extensions_catches_a_lost_synapse():
    user = _net()
    out = add_delay_extensions(user)
    long_id = next(p.id for p in out.projections if p.origin == 0)
    long = out.projections[long_id]
    shorter = dataclasses.replace(long, **{k: _frozen(getattr(long, k)[1:]) for k in
                                           ("pre_index", "post_index", "weight", "delay")})
    projections = tuple(shorter if p.id == long_id else p for p in out.projections)
    with pytest.raises(InvariantError, match="'delay_extensions'.*synapses lost or added"):
        CHECKS["delay_extensions"](user, dataclasses.replace(out, projections=projections))


def test_check_delay_extensions_catches_a_delay_left_above_the_ring_buffer():
    user = _net()
    with pytest.raises(InvariantError, match="a delay above the ring buffer"):
        CHECKS["delay_extensions"](user, user)      # the rewrite skipped
