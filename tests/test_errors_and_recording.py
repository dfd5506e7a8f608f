"""Clear errors for unsupported input, and PyNN recording behaviour (Neo, files, segments)."""

import neo
import numpy as np
import pytest

from pynn_spinnaker2.errors import (MachineTooSmallError, NotSupportedError,
                                    ParameterRangeError)


def _small_net(sim, delay=1.0, **setup):
    sim.setup(timestep=1.0, **setup)
    src = sim.Population(20, sim.SpikeSourcePoisson(rate=50.0), label="src")
    cells = sim.Population(30, sim.IF_curr_exp(), label="cells")
    sim.Projection(src, cells, sim.FixedProbabilityConnector(0.5, rng=sim.NumpyRNG(1)),
                   sim.StaticSynapse(weight=1.0, delay=delay), label="drive")
    cells.record(["spikes", "v"])
    return src, cells


def test_unsupported_cell_type_names_itself(sim):
    sim.setup()
    with pytest.raises(NotSupportedError, match="IF_facets_hardware1"):
        sim.Population(3, sim.IF_facets_hardware1())


def test_unsupported_synapse_and_current_into_a_source(sim):
    sim.setup()
    with pytest.raises(NotSupportedError, match="ElectricalSynapse"):
        sim.ElectricalSynapse()
    source = sim.Population(2, sim.SpikeSourcePoisson(rate=1.0), label="poisson")
    with pytest.raises(TypeError, match="spike source"):
        sim.DCSource(amplitude=1.0).inject_into(source)


def test_very_long_delay_gets_the_delay_error(sim):
    _small_net(sim, delay=20000.0)
    with pytest.raises(ParameterRangeError, match="'drive'.*20000 ms"):
        sim.run(1.0)


def test_fine_source_slices_fit_the_master_population_table(sim):
    sim.setup(timestep=1.0, neurons_per_core=10, validate=True)
    src = sim.Population(20_000, sim.SpikeSourcePoisson(rate=1.0), label="wide_source")
    cells = sim.Population(10, sim.IF_curr_exp(), label="cells")
    sim.Projection(src, cells, sim.FixedProbabilityConnector(0.01, rng=sim.NumpyRNG(3)),
                   sim.StaticSynapse(weight=0.5, delay=1.0))
    mapped = sim.get_mapping()
    assert mapped.report.sram_bytes_max_pe <= 96 * 1024
    assert mapped.report.pes_used == 2001


def test_validate_accepts_lossy_but_legal_weights(sim):
    sim.setup(timestep=1.0, weight_bits=8, validate=True)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]), label="src")
    cells = sim.Population(1, sim.IF_curr_exp(), label="cells")
    sim.Projection(src, cells, sim.FromListConnector([(0, 0, 10.0, 1.0), (1, 0, 0.0012, 1.0)]),
                   label="mixed")
    with pytest.warns(UserWarning, match="'mixed'"):
        mapped = sim.get_mapping()
    words = mapped.pe_words(1)
    assert words.max() >> 16 <= 255           # 8-bit weights in the 16-bit field


def test_parameters_change_between_runs_without_reset(sim):
    src, cells = _small_net(sim)
    src.record("spikes")
    sim.run(10.0)
    src.set(rate=200.0)
    assert sim.get_mapping() is not None            # inspection compiles the change
    assert sim.get_current_time() == pytest.approx(10.0)
    sim.run(10.0)
    assert sim.get_current_time() == pytest.approx(20.0)
    segment = cells.get_data().segments[0]
    assert len(cells.get_data().segments) == 1
    assert segment.analogsignals[0].shape == (21, 30)
    trains = src.get_data().segments[0].spiketrains
    before = sum(int((st.times.magnitude <= 10.0).sum()) for st in trains)
    after = sum(int((st.times.magnitude > 10.0).sum()) for st in trains)
    assert after > 2 * before                 # 50 Hz, then 200 Hz (4x as many expected)

def test_new_populations_mid_run_need_reset(sim):
    _small_net(sim)
    sim.run(10.0)
    sim.Population(5, sim.IF_curr_exp(), label="late")
    with pytest.raises(NotSupportedError, match="reset"):
        sim.run(10.0)


def test_network_larger_than_machine_names_population_and_pes(sim):
    sim.setup(timestep=1.0, machine="chip", neurons_per_core=1)
    sim.Population(100, sim.IF_curr_exp(), label="small")
    sim.Population(100, sim.IF_curr_exp(), label="too_many")
    with pytest.raises(MachineTooSmallError, match=r"'too_many'.*200 PEs.*148"):
        sim.run(1.0)


def test_auto_machine_picks_enough_boards(sim):
    sim.setup(timestep=1.0, neurons_per_core=1, usable_pes_per_chip=2)
    sim.Population(150, sim.IF_curr_exp(), label="wide")
    mapped = sim.get_mapping()
    assert mapped.machine.n_boards == 2     # 150 PEs > 96 on one board of 2-PE chips
    assert mapped.report.pes_used == 150


def test_quantisation_warning_names_projection_and_error(sim):
    from pynn_spinnaker2.errors import WeightQuantisationWarning
    sim.setup(timestep=1.0)
    src = sim.Population(2, sim.SpikeSourceArray(spike_times=[1.0]), label="src")
    cells = sim.Population(1, sim.IF_curr_exp(), label="cells")
    sim.Projection(src, cells, sim.FromListConnector([(0, 0, 1.0, 1.0)]), label="big")
    sim.Projection(src, cells, sim.FromListConnector([(1, 0, 3e-5, 1.0)]), label="tiny")
    with pytest.warns(WeightQuantisationWarning, match=r"'tiny'.*relative error of [0-9.]+e-02"):
        sim.get_mapping()


def test_bad_parameter_names_population(sim):
    sim.setup(timestep=1.0)
    with pytest.raises(sim.errors.InvalidParameterValueError, match="'negative_tau'.*tau_m"):
        sim.Population(3, sim.IF_curr_exp(tau_m=-1.0), label="negative_tau")
    cells = sim.Population(3, sim.IF_curr_exp(), label="negative_tau")
    cells._parameters["tau_m"][:] = -1.0      # past the front check: the compiler refuses too
    with pytest.raises(ParameterRangeError, match="'negative_tau'.*tau_m"):
        sim.run(1.0)


def test_mpi_runs_without_mpi4py_are_refused_naming_the_extra(sim, monkeypatch):
    """Under a launcher with 2 ranks but no mpi4py, setup() cannot join the other rank."""
    import sys

    from pynn_spinnaker2 import parallel
    monkeypatch.setenv("OMPI_COMM_WORLD_SIZE", "2")
    monkeypatch.setitem(sys.modules, "mpi4py", None)        # import mpi4py: ImportError
    monkeypatch.setattr(parallel, "_world", False)          # not looked at yet
    with pytest.raises(NotSupportedError, match=r"pynn_spinnaker2\[mpi\]"):
        sim.setup()


def test_unknown_setup_options_warn_once_and_name_the_nearest_option(sim):
    with pytest.warns(sim.UnknownOptionWarning) as caught:
        sim.setup(timestep=1.0, t_flush=10.0, neurons_per_cor=32)
    assert len(caught) == 1
    message = str(caught[0].message)
    assert "'t_flush'" in message and "'neurons_per_cor' (did you mean 'neurons_per_core'?)" \
        in message
    assert sim.get_time_step() == 1.0          # the known options still apply


def test_get_data_write_data_and_segments(sim, tmp_path):
    _, cells = _small_net(sim)
    sim.run(50.0)
    sim.run(50.0)                              # a second run continues the first
    first = cells.get_data().segments[0]
    assert float(first.analogsignals[0].t_stop) == pytest.approx(101.0)
    assert first.analogsignals[0].shape == (101, 30)
    n_spikes = sum(len(st) for st in first.spiketrains)
    assert n_spikes > 0
    sim.reset()
    sim.run(30.0)
    block = cells.get_data()
    assert len(block.segments) == 2
    assert block.segments[1].analogsignals[0].shape == (31, 30)
    # same seed, same initial state: the new segment starts like the first one
    second_times = sorted(float(t) for st in block.segments[1].spiketrains for t in st)
    first_times = sorted(float(t) for st in first.spiketrains for t in st if t <= 30.0)
    assert second_times == first_times
    for name in ("cells.pkl", "cells.nix"):
        cells.write_data(str(tmp_path / name))
        io = neo.get_io(str(tmp_path / name)) if name.endswith("pkl") else neo.NixIO(
            str(tmp_path / name), mode="ro")
        read = io.read_block()
        assert len(read.segments) == 2
        if hasattr(io, "close"):
            io.close()


def test_get_data_clear_keeps_other_populations(sim):
    src, cells = _small_net(sim)
    src.record("spikes")
    sim.run(40.0)
    before = sum(len(st) for st in src.get_data().segments[0].spiketrains)
    cells.get_data(clear=True)
    assert sum(len(st) for st in cells.get_data().segments[0].spiketrains) == 0
    assert sum(len(st) for st in src.get_data().segments[0].spiketrains) == before > 0


def test_changing_parameters_after_run_takes_effect_and_keeps_state(sim):
    sim.setup(timestep=1.0)
    cells = sim.Population(2, sim.IF_curr_exp(tau_m=10.0, i_offset=0.0), label="cells")
    cells.record(["v", "spikes"])
    sim.run(20.0)
    cells[1:].set(i_offset=2.0)                 # only the second cell is driven from 20 ms
    sim.run(30.0)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    assert v.shape == (51, 2)
    assert np.allclose(v[:21], -65.0)            # nothing happened before the change
    assert np.allclose(v[21:, 0], -65.0)         # the first cell stays at rest
    assert v[21, 1] > -65.0 and v[22, 1] > v[21, 1]   # the second depolarises from t = 20
    spikes = cells.get_data().segments[0].spiketrains
    assert len(spikes[0]) == 0 and len(spikes[1]) > 0 and spikes[1].times.min() > 20.0


@pytest.mark.parametrize("suffix", [".pkl", ".nix", ".h5", ".mat"])
def test_write_data_to_every_neo_io_pynn_picks(sim, tmp_path, suffix):
    sim.setup(timestep=1.0)
    cells = sim.Population(3, sim.IF_curr_exp(i_offset=2.0), label="cells")
    cells.record(["v", "spikes"])
    cells.annotate(experiment="io")
    sim.run(30.0)
    path = tmp_path / f"cells{suffix}"
    cells.write_data(str(path))
    from pyNN.recording import get_io
    import neo
    io = get_io(str(path))
    if isinstance(io, neo.io.NixIO):
        io = neo.io.NixIO(str(path), mode="ro")
    block = io.read_block()
    if hasattr(io, "close"):
        io.close()
    signal = block.segments[0].analogsignals[0]
    assert signal.shape == (31, 3)
    assert sum(len(st) for st in block.segments[0].spiketrains) > 0


def test_initialize_between_runs_applies_to_the_chosen_cells(sim):
    sim.setup(timestep=1.0)
    cells = sim.Population(3, sim.IF_curr_exp(i_offset=0.5, tau_m=10.0), label="cells")
    cells.record("v")
    sim.run(20.0)
    cells[1:2].initialize(v=-70.0)
    sim.run(1.0)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0])
    assert v[20, 0] > -65.0 and abs(v[21, 0] - v[20, 0]) < 0.5   # carried on
    assert v[21, 1] < -69.0                                       # restarted from -70
    assert v[21, 2] == pytest.approx(v[21, 0])


def test_write_data_to_nwb_with_the_session_annotations_neo_requires(sim, tmp_path):
    pytest.importorskip("pynwb")                         # the [nwb] extra
    import datetime

    import neo
    sim.setup(timestep=1.0)
    cells = sim.Population(3, sim.IF_curr_exp(i_offset=2.0), label="cells")
    cells.record(["v", "spikes"])
    sim.run(30.0)
    path = str(tmp_path / "cells.nwb")
    cells.write_data(path, annotations={
        "session_start_time": datetime.datetime.now(datetime.timezone.utc),
        "session_description": "pynn_spinnaker2 test", "identifier": "cells"})
    block = neo.io.NWBIO(path, mode="r").read_block()
    assert block.segments[0].analogsignals[0].shape == (31, 3)
    assert sum(len(st) for st in block.segments[0].spiketrains) > 0


def test_a_projection_added_between_runs_delivers(sim):
    sim.setup(timestep=1.0)
    src = sim.Population(1, sim.SpikeSourceArray(spike_times=[5.0, 25.0]), label="src")
    cells = sim.Population(1, sim.IF_curr_exp(), label="cells")
    cells.record("v")
    sim.run(20.0)
    sim.Projection(src, cells, sim.OneToOneConnector(),
                   sim.StaticSynapse(weight=1.0, delay=1.0), label="late")
    sim.run(20.0)
    v = np.asarray(cells.get_data().segments[0].filter(name="v")[0]).ravel()
    assert np.allclose(v[:27], -65.0)          # the spike at 5 ms had no projection yet
    assert v[28] > -65.0                        # the one at 25 ms arrives at 26 ms


def test_neurons_per_core_per_population_and_cell_type(sim):
    sim.setup(timestep=1.0, neurons_per_core={"IF_curr_exp": 50, "special": 10, "default": 100})
    sim.Population(300, sim.SpikeSourcePoisson(rate=1.0), label="drive")
    sim.Population(200, sim.IF_curr_exp(), label="plain")
    sim.Population(40, sim.IF_curr_exp(), label="special")
    pes = {label: n for label, _, n in sim.get_mapping().report.populations}
    assert pes == {"drive": 3, "plain": 4, "special": 4}
    with pytest.raises(ValueError, match="neurons_per_core"):
        sim.setup(neurons_per_core={"plain": 0})


def test_population_level_neurons_per_core_overrides_setup(sim):
    sim.setup(timestep=1.0, neurons_per_core={"default": 100})
    plain = sim.Population(200, sim.IF_curr_exp(), label="plain")
    own = sim.Population(200, sim.IF_curr_exp(), label="own")
    own.set_neurons_per_core(25)
    pes = {label: n for label, _, n in sim.get_mapping().report.populations}
    assert pes == {"plain": 2, "own": 8}
    plain.set_max_atoms_per_core(50)          # sPyNNaker's name
    pes = {label: n for label, _, n in sim.get_mapping().report.populations}
    assert pes == {"plain": 4, "own": 8}
    for bad in (0, 257, 2.5):
        with pytest.raises(ValueError, match="'own'.*set_neurons_per_core"):
            own.set_neurons_per_core(bad)


def test_recording_that_does_not_fit_dram_raises_before_the_run_and_keeps_the_data(sim):
    from pynn_spinnaker2.errors import ResourceError
    sim.setup(timestep=1.0, machine="chip", hardware_summary=False)
    cells = sim.Population(2560, sim.IF_curr_exp(i_offset=1.0), label="big_recorder")
    cells.record(["v", "spikes"])
    sim.run(100.0)
    # v: 2560 neurons x 4 bytes per tick; 2 GiB lasts about 209,000 ticks on the one chip
    with pytest.raises(ResourceError, match=r"Chip \(0, 0\).*'big_recorder'.*shorter sim.run"):
        sim.run(300_000.0)
    assert sim.get_current_time() == 100.0
    sim.run(50.0)                                  # shorter runs still work
    v = cells.get_data().segments[0].filter(name="v")[0]
    assert v.shape == (151, 2560)
    assert np.isfinite(np.asarray(v)).all()


def test_recorded_folded_poisson_sources_count_in_the_dram_check(sim):
    from pynn_spinnaker2.errors import ResourceError
    from pynn_spinnaker2.mapping.dram import dram_bytes_per_chip
    sim.setup(timestep=1.0, machine="chip", hardware_summary=False)
    drive = sim.Population(10_000, sim.SpikeSourcePoisson(rate=5.0), label="folded_drive")
    cells = sim.Population(10_000, sim.IF_curr_exp(), label="driven")
    sim.Projection(drive, cells, sim.OneToOneConnector(), sim.StaticSynapse(weight=0.1))
    quiet = dram_bytes_per_chip(sim.get_mapping(), 1000)[0]
    drive.record("spikes")
    mapped = sim.get_mapping()
    assert not any(p.model == "spike_source_poisson" for p in mapped.programs)   # folded
    # one bit per recorded source neuron and tick, in 32-bit words per target PE
    assert dram_bytes_per_chip(mapped, 1000)[0] - quiet >= 10_000 / 8 * 1000
    with pytest.raises(ResourceError, match="'folded_drive'"):
        sim.run(2_000_000.0)
