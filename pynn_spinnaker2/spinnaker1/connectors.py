"""sPyNNaker's extra connectors that example scripts use (``p.extra_models.<Name>``)."""

from __future__ import annotations

from pyNN import connectors as pc

from ..connector_types import AllToAllConnector
from ..errors import NotSupportedError


class AllButMeConnector(AllToAllConnector):
    """sPyNNaker's AllButMeConnector: every pre-synaptic neuron to every post-synaptic neuron
    except the one with its own index (an all-to-all connector without self connections,
    also between two populations). Weights and delays come from the synapse type.

    Raises: NotSupportedError for a per-connection ``weights`` matrix (give the weight to
    the synapse type, or use FromListConnector).
    """

    pynn_class = pc.AllToAllConnector       # built as arrays, as an all-to-all connector

    def __init__(self, weights=None, safe=True, verbose=False, callback=None) -> None:
        if weights is not None:
            raise NotSupportedError(
                "AllButMeConnector(weights=...): a weight matrix is not supported; give the "
                "weight to the synapse type (StaticSynapse(weight=...)) or use "
                "FromListConnector.")
        super().__init__(allow_self_connections=False, safe=safe, callback=callback)
