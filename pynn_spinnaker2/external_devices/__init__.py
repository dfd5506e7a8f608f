"""sPyNNaker's external devices (``pyNN.spiNNaker.external_devices``) on SpiNNaker2.

In an emulator, live input and output are in-process callbacks; the sPyNNaker-named wrappers sit
over them. Robot and FPGA devices are refused by name.
"""

# --- live input and output ---------------------------------------------------------------------


# --- refused devices -----------------------------------------------------------------------------
from ..spinnaker1.refused import refused_devices as _refused_devices  # noqa: E402

globals().update(_refused_devices())        # PushBot*, Munich*, FPGA retinas: RefusedDeviceError
