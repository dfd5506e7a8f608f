"""The compiled artefact: what mapping/ produces and emulator/ consumes, and the readers both
use. Nothing here imports the compiler or the emulator.

- network.py: MappedNetwork, the whole compiled network (sim.get_mapping()).
- program.py: PEProgram and its MasterPopulationTable.
- router.py: RouterTable.
- stages.py: the data the compiler's stages hand on (Partition, Placements, ...).
- report.py: MappingReport.
- routing.py: the router's walk of packets through the tables.
- synapse_tables.py: master population table lookup, row fetch and decode.
- decode.py: connectivity read back from the tables alone.
"""
