"""sPyNNaker devices and tools that have no meaning on an emulated SpiNNaker2 machine, kept
under their sPyNNaker names so that a script stops at the first use with RefusedDeviceError
(a NotSupportedError) saying what the name is, why it is refused and what to use instead.

Robot and FPGA devices talk to hardware attached to a SpiNNaker1 board (a PushBot over
Ethernet or a SpiNNaker link, the Munich robot protocol, FPGA/SPIF retinas and cochleas); the
partitioner's splitters steer how sPyNNaker cuts populations over cores.
"""

from __future__ import annotations

from ..errors import RefusedDeviceError

_ROBOT = ("it drives a robot (PushBot, Munich robot I/O) attached to a SpiNNaker1 board; an "
          "emulated machine has no such link. Record the population and post-process its "
          "spikes, or use live output (external_devices.activate_live_output_for) to feed a "
          "Python program")
_FPGA = ("it reads events from an FPGA or SPIF sensor (retina, cochlea) attached to a "
         "SpiNNaker1 board; an emulated machine has none. Replay recorded events with a "
         "SpikeSourceArray, or inject them live with external_devices.SpikeInjector")
_SPLITTER = ("sPyNNaker's partitioner splitters choose how SpiNNaker1 cuts populations over "
             "cores; pynn_spinnaker2 partitions by itself. Drop the splitter (and "
             "additional_parameters={'splitter': ...}); set_number_of_neurons_per_core still "
             "limits the neurons per PE")

ROBOT_DEVICES = (
    "MunichIoSpiNNakerLinkProtocol", "MunichIoEthernetProtocol", "MunichMotorDevice",
    "MunichRetinaDevice", "PushBotEthernetLEDDevice", "PushBotEthernetLaserDevice",
    "PushBotEthernetMotorDevice", "PushBotEthernetRetinaDevice", "PushBotEthernetSpeakerDevice",
    "PushBotSpiNNakerLinkLEDDevice", "PushBotSpiNNakerLinkLaserDevice",
    "PushBotSpiNNakerLinkMotorDevice", "PushBotSpiNNakerLinkRetinaDevice",
    "PushBotSpiNNakerLinkSpeakerDevice", "PushBotLifEthernet", "PushBotLifSpinnakerLink",
    "PushBotRetinaViewer", "PushBotRetinaResolution", "PushBotMotor", "PushBotLED",
    "PushBotLaser", "PushBotSpeaker", "EthernetControlPopulation", "EthernetSensorPopulation",
    "ExternalDeviceLifControl", "protocols")
FPGA_DEVICES = ("ExternalFPGARetinaDevice", "ExternalCochleaDevice", "ArbitraryFPGADevice",
                "SPIFRetinaDevice", "SPIFOutputDevice", "ICUBRetinaDevice",
                "SpiNNakerLinkDevice", "SpiNNakerLinkDataHolder")

_LOCAL_ONLY = ("sPyNNaker's local-only convolution and pooling synapses are not supported yet; "
               "build the kernel's connections with FromListConnector (one projection for the "
               "positive weights onto 'excitatory', one for the negative onto 'inhibitory')")
LOCAL_ONLY = ("ConvolutionConnector", "PoolDenseConnector", "Convolution", "PoolDense")


def refusal(name: str, reason: str) -> RefusedDeviceError:
    """The error for using sPyNNaker's ``name``. Out: a RefusedDeviceError (not raised)."""
    return RefusedDeviceError(f"{name} is not supported by pynn_spinnaker2: {reason}.")


class _RefusedMeta(type):
    """Any use of the class (calling it, reading an attribute such as an enum member) raises."""

    def __call__(cls, *args, **kwargs):
        raise refusal(cls.__name__, cls.reason)

    def __getattr__(cls, attribute):
        if attribute.startswith("__"):
            raise AttributeError(attribute)
        raise refusal(f"{cls.__name__}.{attribute}", cls.reason)


def refused_class(name: str, reason: str) -> type:
    """A stand-in for sPyNNaker's ``name`` whose every use raises RefusedDeviceError."""
    return _RefusedMeta(name, (), {"reason": reason, "__doc__": f"Refused: {reason}.",
                                   "__module__": "pynn_spinnaker2"})


def refused_devices() -> dict[str, type]:
    """Every refused device name -> its stand-in (external_devices puts them in its namespace)."""
    return {**{n: refused_class(n, _ROBOT) for n in ROBOT_DEVICES},
            **{n: refused_class(n, _FPGA) for n in FPGA_DEVICES}}


def refused_local_only() -> dict[str, type]:
    """sPyNNaker's local-only connectors and synapse types -> stand-ins that refuse."""
    return {n: refused_class(n, _LOCAL_ONLY) for n in LOCAL_ONLY}


def refused_splitter(name: str) -> RefusedDeviceError:
    """The error for importing or using one of sPyNNaker's splitters."""
    return refusal(name, _SPLITTER)
