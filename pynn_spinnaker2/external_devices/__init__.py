"""sPyNNaker's external devices (``pyNN.spiNNaker.external_devices``) on SpiNNaker2.

In an emulator, live input and output are in-process callbacks; the sPyNNaker-named wrappers sit
over them. Robot and FPGA devices are refused by name.
"""

# --- live input and output ---------------------------------------------------------------------
from .connections import (SpynnakerLiveSpikesConnection,  # noqa: F401,E402
                          SpynnakerPoissonControlConnection)
from .live_functions import (activate_live_output_for,  # noqa: F401,E402
                             add_poisson_live_rate_control, request_stop, run_forever)
from .spike_injector import SpikeInjector  # noqa: F401,E402


# --- refused devices -----------------------------------------------------------------------------
from ..spinnaker1.refused import refused_devices as _refused_devices  # noqa: E402

globals().update(_refused_devices())        # PushBot*, Munich*, FPGA retinas: RefusedDeviceError
