"""What SpiNNaker1 (sPyNNaker) users' scripts need on SpiNNaker2.

mode.py: sPyNNaker mode and its one-warning-per-convention; aliases.py: the ``pyNN.spiNNaker``
and ``spynnaker...`` module names; runner.py: ``python -m pynn_spinnaker2 script.py``;
api.py: sPyNNaker's conveniences (set_number_of_neurons_per_core, name, get_machine, ...);
neo_convertor.py and utility_calls.py: the helper modules scripts import; refused.py: devices
and tools refused by name; conventions.py: the conventions of sPyNNaker mode.
Nothing here is imported by the compiler or the emulator.
"""
