"""Derives LOG_POLY_Q24 (stark-frames/src/fixed/format.rs).

Degree-7 polynomial interpolating ln(1 + x) at the 8 Chebyshev nodes of [0, 1],
coefficients rounded to Q24, then checked the way the integer pipeline evaluates
it: Horner's rule with x = u / 2^20 and every product rounded half up to Q24.
Prints the coefficients and the worst error over u in [0, 2^20).
Needs numpy (fixtures/gen_reference.sh creates a venv that has it).
"""

import numpy as np

DEGREE = 7
k = np.arange(DEGREE + 1)
nodes = 0.5 + 0.5 * np.cos((2 * k + 1) * np.pi / (2 * (DEGREE + 1)))
coeffs = np.polyfit(nodes, np.log1p(nodes), DEGREE)[::-1]
q = np.round(coeffs * 2**24).astype(np.int64)

u = np.arange(0, 2**20, dtype=np.int64)
acc = np.full(u.shape, q[DEGREE], dtype=np.int64)
for i in range(DEGREE - 1, -1, -1):
    acc = ((acc * u + 2**19) >> 20) + q[i]
err = np.abs(acc / 2**24 - np.log1p(u / 2**20))
print("LOG_POLY_Q24 =", [int(c) for c in q])
print("max error:", err.max())
