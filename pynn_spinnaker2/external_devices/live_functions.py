"""sPyNNaker's live-I/O functions: activate_live_output_for, add_poisson_live_rate_control,
run_forever, request_stop. The Ethernet options are accepted (checked by name) and unused."""

from __future__ import annotations

from .. import live
from ..errors import ConfigurationError, NotSupportedError
from ..live.session import SESSION

_LIVE_OUTPUT_OPTIONS = frozenset({
    "database_notify_host", "database_notify_port_num", "database_ack_port_num", "port", "host",
    "tag", "strip_sdp", "use_prefix", "key_prefix", "prefix_type", "message_type",
    "right_shift", "payload_as_time_stamps", "notify", "use_payload_prefix", "payload_prefix",
    "payload_right_shift", "number_of_packets_sent_per_time_step", "translate_keys",
    "partition_ids"})

_RATE_CONTROL_OPTIONS = frozenset({
    "receive_port", "database_notify_host", "database_notify_port_num",
    "database_ack_port_num", "notify", "reserve_reverse_ip_tag"})


def _check_options(function: str, options: dict, known: frozenset) -> None:
    unknown = sorted(set(options) - known)
    if unknown:
        raise ConfigurationError(f"{function}() got unknown option(s) {unknown}; it accepts "
                                 f"the population and {sorted(known)}.")


def activate_live_output_for(population, **options) -> None:
    """Send ``population``'s spikes to receive callbacks (SpynnakerLiveSpikesConnection) while
    running. Raises: ConfigurationError for an option sPyNNaker does not have."""
    _check_options("activate_live_output_for", options, _LIVE_OUTPUT_OPTIONS)
    live.read_out(population)


def add_poisson_live_rate_control(poisson_population, control_label_extension="_control",
                                  **options) -> None:
    """Let a SpynnakerPoissonControlConnection change ``poisson_population``'s rates while
    running.
    Raises: NotSupportedError when it is not a SpikeSourcePoisson population."""
    _check_options("add_poisson_live_rate_control", options, _RATE_CONTROL_OPTIONS)
    if getattr(poisson_population.celltype, "native_model", None) != "spike_source_poisson":
        raise NotSupportedError(
            f"add_poisson_live_rate_control: Population '{poisson_population.label}' is a "
            f"{type(poisson_population.celltype).__name__}; only SpikeSourcePoisson rates can be "
            "controlled live.")
    SESSION.rate_controlled[poisson_population] = (poisson_population.label
                                                   + control_label_extension)


def run_forever(sync_time: float = 0, max_ms: float = live.RUN_FOREVER_LIMIT_MS) -> None:
    """Run until request_stop() (from a callback, a live thread or another thread), keeping
    pace with the machine's wall clock; ends after ``max_ms`` of simulated time (default
    pynn_spinnaker2.live.RUN_FOREVER_LIMIT_MS) with a warning. ``sync_time`` is accepted and
    unused (no host synchronisation is needed in-process)."""
    live.run_forever(max_ms)


def request_stop() -> None:
    """Stop run_forever() (or the current run) after the chunk being simulated."""
    live.request_stop()
