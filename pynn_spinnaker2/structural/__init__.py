"""Structural plasticity (sPyNNaker's synaptogenesis): rules.py (partner selection, formation,
elimination), mechanisms.py (the synapse types), engine.py (rewiring on each post-synaptic
population's synapse slots), pair_stdp.py (STDP on them), observer.py (in the emulation)."""
