"""Tsodyks-Markram short-term plasticity, as the PE applies it when a spike's row is fetched.

In:  the DRAM image viewed as float32, the state-record addresses of the synapses hit, the
     spike's time stamp.
Out: the fraction u*x of each synapse's weight that this spike transmits; the records (u, x, y,
     last spike) are updated in place, as the PE writes the plastic region back.

The update is NEST's tsodyks_synapse (Tsodyks, Uziel and Markram 2000): the state is propagated
from the last spike over h = t - t_last (u with tau_facil, y with tau_psc, recovery of x with
tau_rec), then u jumps by U(1 - u), u*x is transmitted, and moves from x to y. float32, as on the
PE's FPU; the exponentials are the PE's exp unit.
"""

from __future__ import annotations

import numpy as np

from ..formats import STP_FIELDS

FIELD = {name: i for i, name in enumerate(STP_FIELDS)}


def transmit(state: np.ndarray, address: np.ndarray, t_spike: float) -> np.ndarray:
    """Apply one spike at t_spike (ms) to the synapse records at ``address``; return u*x."""
    def field(name: str) -> np.ndarray:
        return state[address + FIELD[name]]

    h = np.float32(t_spike) - field("last_spike_ms")
    tau_facil, tau_psc, tau_rec = field("tau_facil"), field("tau_psc"), field("tau_rec")
    with np.errstate(divide="ignore", over="ignore", invalid="ignore"):
        p_uu = np.where(tau_facil > 0, np.exp(-h / np.where(tau_facil > 0, tau_facil, 1)), 0)
        p_yy = np.exp(-h / tau_psc)
        p_zz = np.exp(-h / tau_rec)
        same = np.abs(tau_psc - tau_rec) < 1e-6 * tau_rec
        p_xy = np.where(same, 1 - p_zz - h / tau_rec * p_zz,
                        ((p_zz - 1) * tau_rec - (p_yy - 1) * tau_psc)
                        / np.where(same, 1, tau_psc - tau_rec))
    u, x, y = field("u"), field("x"), field("y")
    z = 1 - x - y
    u = u * p_uu
    x = x + p_xy * y + (1 - p_zz) * z
    y = y * p_yy
    u = u + field("U") * (1 - u)
    transmitted = (u * x).astype(np.float32)
    state[address + FIELD["u"]] = u
    state[address + FIELD["x"]] = x - transmitted
    state[address + FIELD["y"]] = y + transmitted
    state[address + FIELD["last_spike_ms"]] = np.float32(t_spike)
    return transmitted
