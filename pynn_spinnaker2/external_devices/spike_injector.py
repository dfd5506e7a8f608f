"""sPyNNaker's SpikeInjector: a population whose neurons spike when told to while running.

It is a SpikeSourceArray with no spike times of its own; the live module adds the injected
spikes to its emission list (pynn_spinnaker2.live). The Ethernet options of sPyNNaker (database
notification host and ports) are accepted and have no effect in the emulator.
"""

from __future__ import annotations

from ..standardmodels.cells import SpikeSourceArray


class SpikeInjector(SpikeSourceArray):
    """A spike source driven live: ``SpynnakerLiveSpikesConnection.send_spike`` or
    ``sim.live.inject``. Accepts sPyNNaker's arguments (notify, database_notify_host,
    database_notify_port_num, database_ack_port_num), which the emulator does not need."""

    def __init__(self, notify: bool = True, database_notify_host=None,
                 database_notify_port_num=None, database_ack_port_num=None) -> None:
        super().__init__(spike_times=[])
        self.notify = notify
