"""sPyNNaker mode: follow sPyNNaker's conventions for scripts written for SpiNNaker1.

The mode is on once a script imports ``pyNN.spiNNaker`` through the runner
(``python -m pynn_spinnaker2 script.py``), or after ``enable()``. In it, what sPyNNaker accepts
and PyNN refuses is accepted and treated as sPyNNaker treats it, with one
SpiNNaker1ConventionWarning per convention (not per object):

- ``positive_inhibitory``: positive weights on the inhibitory receptor of current-based cells
  inhibit (sPyNNaker uses the weight's magnitude and takes the sign from the receptor);
- ``gsyn_current``: recording ``gsyn_exc``/``gsyn_inh`` on current-based cells records their
  synaptic input currents (nA);
- ``izhikevich_synapses``: ``Izhikevich`` has exponential current synapses (``tau_syn_E``,
  ``tau_syn_I``, default 5 ms) as sPyNNaker's does;
- ``initial_as_parameter``: initial values given as cell parameters (``v=``, ``u=``,
  ``v_init=``) set the initial state;
- ``negative_conductance``: negative weights onto conductance-based cells are their magnitudes;
- ``float_size``: a population size given as a whole float is that whole number;
- ``spike_times``: neuron spikes are stamped with the start of their tick (sPyNNaker's times,
  dt before PyNN's and NEST's).

Outside the mode PyNN's own rules apply unchanged.
"""

from __future__ import annotations

import warnings

from ..errors import SpiNNaker1ConventionWarning

_state = {"active": False, "warned": set()}


def enable(active: bool = True) -> None:
    """Turn sPyNNaker mode on (or off). In: active. Out: None."""
    _state["active"] = bool(active)


def active() -> bool:
    """Whether sPyNNaker's conventions are followed."""
    return _state["active"]


def warn_once(convention: str, message: str) -> None:
    """One SpiNNaker1ConventionWarning per convention name for the whole process.

    In: the convention's name (see the module docstring) and the message to show.
    """
    if convention in _state["warned"]:
        return
    _state["warned"].add(convention)
    warnings.warn(f"sPyNNaker mode: {message}", SpiNNaker1ConventionWarning, stacklevel=4)


def reset_warnings() -> None:
    """Forget which conventions were warned about (tests)."""
    _state["warned"].clear()
