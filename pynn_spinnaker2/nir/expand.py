"""Weight layers as sparse matrices on the flattened signal, and their composition.

In:  NIR weight nodes (Affine, Linear, Scale, Conv1d, Conv2d, SumPool2d, AvgPool2d, Flatten) and
     their input shapes; Delay nodes as per-element delays in ticks.
Out: ``Layer`` (a scipy CSR matrix from the flattened input to the flattened output, C order,
     a bias vector or None, the output shape); ``Operator``, a sum of matrices keyed by extra
     delay in ticks, composed along a chain of weight layers.
Raises: NotSupportedError (ours) for a layer that cannot be expanded, naming the node.

Convolutions and pools are expanded with array code: one broadcast over (output channel, input
channel, kernel row, kernel column, output row, output column), masked to the input.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import scipy.sparse as sp

from ..errors import NotSupportedError


@dataclass
class Layer:
    matrix: sp.csr_matrix
    bias: np.ndarray | None
    out_shape: tuple[int, ...]


@dataclass
class Operator:
    """Sum over extra delays d (ticks) of matrix_d @ x(t - d): from a source's output to here."""

    parts: dict[int, sp.csr_matrix] = field(default_factory=dict)

    @staticmethod
    def identity(n: int) -> "Operator":
        return Operator({0: sp.identity(n, format="csr", dtype=np.float64)})

    def then(self, matrix: sp.csr_matrix) -> "Operator":
        return Operator({d: (matrix @ m).tocsr() for d, m in self.parts.items()})

    def delayed(self, ticks: np.ndarray) -> "Operator":
        """Each output row i delayed by ticks[i] more."""
        out: dict[int, sp.csr_matrix] = {}
        for d, m in self.parts.items():
            for extra in np.unique(ticks):
                keep = sp.diags((ticks == extra).astype(np.float64))
                part = (keep @ m).tocsr()
                part.eliminate_zeros()
                if part.nnz:
                    key = int(d + extra)
                    out[key] = (out[key] + part).tocsr() if key in out else part
        return Operator(out)

    def plus(self, other: "Operator") -> "Operator":
        parts = dict(self.parts)
        for d, m in other.parts.items():
            parts[d] = (parts[d] + m).tocsr() if d in parts else m
        return Operator(parts)


def _pair(value, name: str, node: str) -> tuple[int, int]:
    arr = np.atleast_1d(np.asarray(value)).astype(int)
    if arr.size == 1:
        return int(arr[0]), int(arr[0])
    if arr.size == 2:
        return int(arr[0]), int(arr[1])
    raise NotSupportedError(f"NIR node '{node}': {name} {value!r} is not one or two integers.")


def conv_matrix(weight: np.ndarray, in_shape: tuple[int, int, int], stride, padding, dilation,
                groups: int, node: str) -> tuple[sp.csr_matrix, tuple[int, int, int]]:
    """A 2-d convolution (PyTorch's semantics, cross-correlation) as a sparse matrix.

    In: weight (C_out, C_in/groups, kH, kW); in_shape (C_in, H, W); stride, padding (ints or
    'same'/'valid'), dilation; groups.
    Out: (matrix of shape (C_out*Ho*Wo, C_in*H*W), (C_out, Ho, Wo)).
    """
    c_out, c_in_g, kh, kw = weight.shape
    c_in, h, w = (int(s) for s in in_shape)
    if c_in != c_in_g * groups or c_out % groups:
        raise NotSupportedError(f"NIR node '{node}': weight {weight.shape} does not fit input "
                                f"{tuple(in_shape)} with groups={groups}.")
    sh, sw = _pair(stride, "stride", node)
    dh, dw = _pair(dilation, "dilation", node)
    if isinstance(padding, str):
        if padding == "valid":
            ph = pw = 0
        elif sh == sw == 1:
            ph, pw = dh * (kh - 1) // 2, dw * (kw - 1) // 2
        else:
            raise NotSupportedError(f"NIR node '{node}': padding 'same' needs stride 1.")
    else:
        ph, pw = _pair(padding, "padding", node)
    ho = (h + 2 * ph - dh * (kh - 1) - 1) // sh + 1
    wo = (w + 2 * pw - dw * (kw - 1) - 1) // sw + 1
    co = np.arange(c_out)[:, None, None, None, None, None]
    ci_local = np.arange(c_in_g)[None, :, None, None, None, None]
    ki = np.arange(kh)[None, None, :, None, None, None]
    kj = np.arange(kw)[None, None, None, :, None, None]
    oi = np.arange(ho)[None, None, None, None, :, None]
    oj = np.arange(wo)[None, None, None, None, None, :]
    ci = (co // (c_out // groups)) * c_in_g + ci_local
    ii, jj = oi * sh - ph + ki * dh, oj * sw - pw + kj * dw
    full = (c_out, c_in_g, kh, kw, ho, wo)
    ok = np.broadcast_to((ii >= 0) & (ii < h) & (jj >= 0) & (jj < w), full)
    values = np.broadcast_to(weight[:, :, :, :, None, None], full)
    ok = ok & (values != 0)
    rows = np.broadcast_to((co * ho + oi) * wo + oj, full)[ok]
    cols = np.broadcast_to((ci * h + ii) * w + jj, full)[ok]
    matrix = sp.csr_matrix((values[ok].astype(np.float64), (rows, cols)),
                           shape=(c_out * ho * wo, c_in * h * w))
    return matrix, (c_out, ho, wo)


def pool_matrix(in_shape, kernel_size, stride, padding, scale: float | None,
                node: str) -> tuple[sp.csr_matrix, tuple[int, int, int]]:
    """Sum (scale None) or average pooling per channel: a grouped convolution of ones."""
    c = int(in_shape[0])
    kh, kw = _pair(kernel_size, "kernel_size", node)
    value = 1.0 if scale is None else 1.0 / (kh * kw)
    weight = np.full((c, 1, kh, kw), value)
    return conv_matrix(weight, in_shape, stride, padding, 1, c, node)


def layer_of(node, name: str, in_shape: tuple[int, ...]) -> Layer:
    """The matrix, bias and output shape of one NIR weight node.

    Raises: NotSupportedError naming the node for a type that is no weight layer.
    """
    import nir

    n_in = int(np.prod(in_shape))
    if isinstance(node, (nir.Affine, nir.Linear)):
        weight = np.asarray(node.weight, dtype=np.float64)
        if weight.ndim != 2 or weight.shape[1] != n_in:
            raise NotSupportedError(f"NIR node '{name}': weight {weight.shape} does not fit "
                                    f"its input of {n_in} elements (2-d weights only).")
        bias = np.asarray(node.bias, dtype=np.float64).reshape(-1) \
            if isinstance(node, nir.Affine) else None
        return Layer(sp.csr_matrix(weight), bias, (weight.shape[0],))
    if isinstance(node, nir.Scale):
        scale = np.broadcast_to(np.asarray(node.scale, dtype=np.float64).reshape(-1), (n_in,))
        return Layer(sp.diags(scale).tocsr(), None, tuple(in_shape))
    if isinstance(node, nir.Flatten):
        shape = (node.output_type or {}).get("output")
        out = (n_in,) if shape is None else tuple(int(s) for s in np.atleast_1d(shape))
        return Layer(sp.identity(n_in, format="csr"), None, out)
    if isinstance(node, nir.Conv2d):
        matrix, out = conv_matrix(np.asarray(node.weight), tuple(in_shape), node.stride,
                                  node.padding, node.dilation, int(node.groups), name)
        return Layer(matrix, _channel_bias(node.bias, out), out)
    if isinstance(node, nir.Conv1d):
        weight = np.asarray(node.weight)[:, :, None, :]
        padding = node.padding if isinstance(node.padding, str) else (0, int(node.padding))
        matrix, out = conv_matrix(weight, (in_shape[0], 1, in_shape[1]), (1, int(node.stride)),
                                  padding, (1, int(node.dilation)), int(node.groups), name)
        out = (out[0], out[2])
        return Layer(matrix, _channel_bias(node.bias, out), out)
    if isinstance(node, (nir.SumPool2d, nir.AvgPool2d)):
        average = isinstance(node, nir.AvgPool2d)
        matrix, out = pool_matrix(tuple(in_shape), node.kernel_size, node.stride, node.padding,
                                  1.0 if average else None, name)
        return Layer(matrix, None, out)
    raise NotSupportedError(f"NIR node '{name}' ({type(node).__name__}) is no weight layer.")


def _channel_bias(bias, out_shape: tuple[int, ...]) -> np.ndarray | None:
    b = np.atleast_1d(np.asarray(bias, dtype=np.float64))
    if not np.any(b):
        return None
    per_channel = int(np.prod(out_shape[1:]))
    return np.repeat(np.broadcast_to(b, (out_shape[0],)), per_channel)
