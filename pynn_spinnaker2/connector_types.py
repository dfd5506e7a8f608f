"""PyNN's connectors with their arguments checked before PyNN's constructors see them.

In:  a connector's constructor arguments.
Out: the connector classes exported as ``sim.FixedProbabilityConnector`` etc.: subclasses of
     PyNN's with the same names and signatures; ``pynn_class`` names the PyNN class, which
     connectors.py dispatches on (so they take the same array code).
Raises: InvalidConnectionError (also PyNN's ConnectionError and ValueError) naming the connector,
     the argument, its value and what is allowed, where PyNN would stop at a bare ``assert``
     (a probability below 0, a negative number of connections, a rewiring outside [0, 1], a bad
     allow_self_connections, a distance expression that gives a negative probability or names
     something unknown) or raise a bare TypeError or Exception.
"""

from __future__ import annotations

import inspect
from numbers import Integral, Real

import numpy as np
from pyNN import connectors as pc
from pyNN.random import RandomDistribution

from .errors import InvalidConnectionError

__all__ = ["AllToAllConnector", "FixedProbabilityConnector",
           "DistanceDependentProbabilityConnector", "IndexBasedProbabilityConnector",
           "DisplacementDependentProbabilityConnector", "FixedNumberPreConnector",
           "FixedNumberPostConnector", "FixedTotalNumberConnector", "SmallWorldConnector",
           "FromListConnector", "ArrayConnector", "OneToOneConnector"]


def _bad(name: str, argument: str, value, allowed: str) -> InvalidConnectionError:
    return InvalidConnectionError(
        f"{name}({argument}={value!r}): {argument} must be {allowed}.")


def _number(value) -> bool:
    return isinstance(value, Real) and not isinstance(value, bool)


def _check_self(name: str, args: dict, mutual: bool = True) -> None:
    if "allow_self_connections" not in args:
        return
    value = args["allow_self_connections"]
    if not (isinstance(value, bool) or (mutual and value == "NoMutual")):
        raise _bad(name, "allow_self_connections", value,
                   "True, False or 'NoMutual'" if mutual else "True or False")


def _check_probability(name: str, args: dict) -> None:
    p = args["p_connect"]
    if not _number(p) or not 0.0 <= float(p) <= 1.0:
        raise _bad(name, "p_connect", p, "a probability from 0 to 1")


def _check_n(name: str, args: dict) -> None:
    n = args["n"]
    if isinstance(n, RandomDistribution):
        return
    if isinstance(n, bool) or not isinstance(n, Integral) or n < 0:
        raise _bad(name, "n", n, "a whole number >= 0 or a RandomDistribution")


def _check_small_world(name: str, args: dict) -> None:
    rewiring, degree = args["rewiring"], args["degree"]
    if not _number(rewiring) or not 0.0 <= float(rewiring) <= 1.0:
        raise _bad(name, "rewiring", rewiring, "a probability from 0 to 1")
    if not _number(degree) or not float(degree) > 0:
        raise _bad(name, "degree", degree, "a distance > 0")


def _check_expression(name: str, args: dict) -> None:
    expression = args["d_expression"]
    if not (isinstance(expression, str) or callable(expression)):
        raise _bad(name, "d_expression", expression, "a string of 'd' or a function of d")


def _check_index(name: str, args: dict) -> None:
    expression = args["index_expression"]
    if not isinstance(expression, pc.IndexBasedExpression):
        raise _bad(name, "index_expression", expression, "an IndexBasedExpression")


def _check_list(name: str, args: dict) -> None:
    conn_list = args["conn_list"]
    try:
        rows = np.asarray(conn_list, dtype=float)
    except (ValueError, TypeError) as err:
        raise _bad(name, "conn_list", type(conn_list).__name__,
                   "a list of (pre, post, [parameters...]) rows of numbers") from err
    if rows.size and (rows.ndim != 2 or rows.shape[1] < 2):
        raise _bad(name, "conn_list", f"<shape {rows.shape}>",
                   "a list of (pre, post, [parameters...]) rows of numbers")
    if rows.size and not np.all(np.isfinite(rows[:, :2]) & (rows[:, :2] >= 0)
                                & (rows[:, :2] == np.round(rows[:, :2]))):
        raise _bad(name, "conn_list", "<rows>", "rows whose pre and post are whole numbers >= 0")


def _check_array(name: str, args: dict) -> None:
    array = args["array"]
    if np.ndim(array) != 2 or np.asarray(array).dtype.kind not in "biuf":
        raise _bad(name, "array", f"<{type(array).__name__} of shape {np.shape(array)}>",
                   "a 2-D array of booleans (pre size, post size)")


def _validated(base: type, *checks, mutual: bool = True) -> type:
    """Our subclass of ``base`` whose constructor runs ``checks`` on the bound arguments first
    and turns PyNN's own asserts and expression errors into InvalidConnectionError."""
    signature = inspect.signature(base.__init__)
    name = base.__name__

    def __init__(self, *args, **kwargs):
        bound = signature.bind(self, *args, **kwargs)
        bound.apply_defaults()
        _check_self(name, bound.arguments, mutual)
        for check in checks:
            check(name, bound.arguments)
        try:
            base.__init__(self, *args, **kwargs)
        except (AssertionError, NameError, SyntaxError, ZeroDivisionError) as err:
            raise InvalidConnectionError(
                f"{name}: PyNN refused its arguments ({type(err).__name__}: {err}); "
                "a distance expression must give a probability >= 0 for every distance and "
                "may use 'd' and numpy functions.") from err
        except (ValueError, TypeError, IndexError) as err:
            if isinstance(err, InvalidConnectionError):
                raise
            raise InvalidConnectionError(
                f"{name}: PyNN cannot use its arguments ({type(err).__name__}: {err}).") from err

    __init__.__signature__ = signature
    __init__.__doc__ = base.__init__.__doc__
    return type(name, (base,), {"__init__": __init__, "__doc__": base.__doc__,
                                "__module__": __name__, "pynn_class": base})


AllToAllConnector = _validated(pc.AllToAllConnector, mutual=False)
FixedProbabilityConnector = _validated(pc.FixedProbabilityConnector, _check_probability)
DistanceDependentProbabilityConnector = _validated(pc.DistanceDependentProbabilityConnector,
                                                   _check_expression)
IndexBasedProbabilityConnector = _validated(pc.IndexBasedProbabilityConnector, _check_index)
DisplacementDependentProbabilityConnector = _validated(
    pc.DisplacementDependentProbabilityConnector)
FixedNumberPreConnector = _validated(pc.FixedNumberPreConnector, _check_n)
FixedNumberPostConnector = _validated(pc.FixedNumberPostConnector, _check_n)
FixedTotalNumberConnector = _validated(pc.FixedTotalNumberConnector, _check_n)
SmallWorldConnector = _validated(pc.SmallWorldConnector, _check_small_world)
FromListConnector = _validated(pc.FromListConnector, _check_list)
ArrayConnector = _validated(pc.ArrayConnector, _check_array)
OneToOneConnector = _validated(pc.OneToOneConnector)
