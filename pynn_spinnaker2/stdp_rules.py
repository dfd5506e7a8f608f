"""The STDP rules the PE runs: each rule's parameters in the IR and its record in the PE's rule
table (formats.STDP_RULE_FIELDS).

Rules (formats.STDP_RULE_KINDS), all applied when a pre-synaptic spike's row is fetched:

* ``pair``: NEST's stdp_synapse (SpikePairRule with any weight dependence).
* ``vogels``: Vogels et al. 2011 (NEST's vogels_sprekeler_synapse): every post-synaptic spike
  potentiates by eta times the pre-synaptic trace, every pre-synaptic spike by eta times
  (post-synaptic trace - alpha); one time constant tau for both traces.
* ``triplet``: Pfister & Gerstner 2006, all-to-all (sPyNNaker's PfisterSpikeTriplet with
  WeightDependenceAdditiveTriplet): a post-synaptic spike potentiates by
  r1 (A2+ + A3+ o2), a pre-synaptic spike depresses by o1 (A2- + A3- r2), the second traces
  (r2: tau_x, o2: tau_y) sampled just before the spike.

In:  a projection's rule parameters (snapshot: one value each, native names of its synapse
     type's ``rule_parameters``), its weight scale on the target PE.
Out: the rule record; the post-synaptic trace time constants the rule needs.
"""

from __future__ import annotations

import numpy as np

from . import formats

KIND_OF_CODE = {code: name for name, code in formats.STDP_RULE_KINDS.items()}


def kind_of(params) -> str:
    """The rule's kind name from a projection's rule parameters (``kind``: its code)."""
    return KIND_OF_CODE[int(params.get("kind", 0))]


def record(params: dict, scale: np.ndarray, delay_stages: int) -> dict:
    """The rule record (formats.STDP_RULE_FIELDS) of a projection, per target block.

    In: the rule parameters (one float each), the weight scale of each block (integer units per
    PyNN weight unit), the delay-extension stages of its rows (0: none).
    Out: {field: value or per-block array}.
    """
    kind = kind_of(params)
    span = params["w_max"] - params["w_min"]
    values = {name: 0.0 for name in formats.STDP_RULE_FIELDS}
    values.update(kind=formats.STDP_RULE_KINDS[kind], delay_stages=delay_stages,
                  w_min=params["w_min"] * scale, w_max=params["w_max"] * scale,
                  dendritic_delay_fraction=params["dendritic_delay_fraction"])
    if kind == "pair":
        values.update(tau_plus=params["tau_plus"], tau_minus=params["tau_minus"],
                      a_plus=params["A_plus"] * span * scale,
                      a_minus=params["A_minus"] * span * scale,
                      mu_plus=params["mu_plus"], mu_minus=params["mu_minus"])
    elif kind == "vogels":
        # PyNN's rule gives eta in weight units; sPyNNaker's gives A_plus, of the weight span
        eta = params["eta"] if "eta" in params else params["A_plus"] * span
        values.update(tau_plus=params["tau"], tau_minus=params["tau"], a_plus=eta * scale,
                      alpha=params["alpha"])
    elif kind == "neuromodulated":
        values.update(tau_plus=params["tau_plus"], tau_minus=params["tau_minus"],
                      a_plus=params["A_plus"] * span * scale,
                      a_minus=params["A_minus"] * span * scale,
                      tau_c=params["tau_c"], tau_d=params["tau_d"],
                      nm_w_min=params["nm_w_min"] * scale, nm_w_max=params["nm_w_max"] * scale)
    elif kind == "recurrent":
        values.update(tau_plus=1.0, tau_minus=1.0, a_plus=params["A_plus"] * span * scale,
                      a_minus=params["A_minus"] * span * scale,
                      mu_plus=params["mu_plus"], mu_minus=params["mu_minus"],
                      accumulator_depression=params["accumulator_depression"],
                      accumulator_potentiation=params["accumulator_potentiation"],
                      mean_pre_window=params["mean_pre_window"] / params["dt"],
                      mean_post_window=params["mean_post_window"] / params["dt"],
                      dual_fsm=params["dual_fsm"])
    elif kind == "dopamine":
        values.update(a_plus=params["sign"] / scale, tau_d=params["tau_d"],
                      tau_plus=1.0, tau_minus=1.0, w_min=0.0, w_max=0.0)
    else:
        values.update(tau_plus=params["tau_plus"], tau_minus=params["tau_minus"],
                      tau_x=params["tau_x"], tau_y=params["tau_y"],
                      a_plus=params["A_plus"] * span * scale,
                      a_minus=params["A_minus"] * span * scale,
                      a3_plus=params["A3_plus"] * span * scale,
                      a3_minus=params["A3_minus"] * span * scale)
    return values


def post_time_constants(params) -> tuple[float, float, float]:
    """(tau of the post-synaptic trace, tau of the second post-synaptic trace or 0, tau of the
    dopamine trace or 0) the rule needs on its target neurons (one set per neuron: every STDP
    projection onto a population must agree)."""
    kind = kind_of(params)
    if kind == "vogels":
        return float(params["tau"]), 0.0, 0.0
    if kind == "triplet":
        return float(params["tau_minus"]), float(params["tau_y"]), 0.0
    if kind == "neuromodulated":
        return float(params["tau_minus"]), 0.0, float(params["tau_d"])
    if kind == "recurrent":     # keeps the spike times only; its trace is unused
        return 20.0, 0.0, 0.0
    return float(params["tau_minus"]), 0.0, 0.0


def weight_bound(proj) -> float:
    """The largest weight a plastic projection's synapses can reach (0 for other projections):
    the rule's w_max, or the Neuromodulation's for neuromodulated STDP."""
    if proj.dynamics != "stdp" or not proj.n_synapses:
        return 0.0
    params = proj.dynamics_params
    return max(float(params["w_max"][0]), float(params.get("nm_w_max", [0.0])[0]))


def dynamics_code(proj) -> int:
    """formats.DYNAMICS_CODES of a projection's records ("eligibility" for neuromodulated
    STDP)."""
    kind = proj.dynamics_params.get("kind", ())
    if proj.dynamics == "stdp" and len(kind):
        name = KIND_OF_CODE[int(kind[0])]
        if name in ("neuromodulated", "recurrent"):
            return formats.DYNAMICS_CODES["eligibility" if name == "neuromodulated"
                                          else "recurrent"]
    return formats.DYNAMICS_CODES[proj.dynamics]


RECURRENT_STREAM_BIT = 1 << 62      # apart from the stochastic synapses' streams (bit 63)


def recurrent_record(proj) -> dict:
    """The initial RecurrentRule record (formats.RECURRENT_FIELDS) of a projection's synapses:
    idle, accumulator 0, no window drawn, their neurons and each synapse's random stream."""
    stream = np.asarray(proj.dynamics_params["stream"], dtype=np.float64).astype(
        np.uint64) | np.uint64(RECURRENT_STREAM_BIT)
    return {"state": 0.0, "accumulator": 0.0, "window": 0.0, "draws": 0.0,
            "pre_index": proj.pre_index, "post_index": proj.post_index,
            "stream_lo": stream & np.uint64(0xFFFFFFFF), "stream_hi": stream >> np.uint64(32)}


def has_rule(proj) -> bool:
    """Whether a projection's blocks have an STDP-style row header and rule record."""
    return proj.dynamics in ("stdp", "neuromodulation")
