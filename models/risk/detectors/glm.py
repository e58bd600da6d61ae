"""Batched (quasi-)Poisson log-link GLM that follows R's ``glm.fit`` step for step.

Farrington's bounds depend on the fitted mean, its standard error and the dispersion, so to
reproduce R to 1e-6 we mirror ``glm.fit`` rather than any IRLS: start at mu = y + 0.1, clamp
``exp(eta)`` at machine epsilon, stop when |dev - dev_old| / (|dev| + 0.1) < 1e-8 (maxit 25),
and keep R's bookkeeping: the stored working weights and the (X'WX)^-1 used for standard
errors and hat values come from the *last* iteration's weights (computed from the previous
mu), while residuals use the final mu.  ``summary.glm``'s dispersion is
sum(w * r^2) / df.residual over rows with positive prior weight.

Many small fits (one per series x period) are solved at once: arrays have a leading batch
axis, and a row with prior weight 0 is "not in the data" (R drops NA rows; zero weight plus the
same degrees-of-freedom count is equivalent).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

EPS = np.finfo(float).eps
MAXIT = 25
EPSILON = 1e-8


@dataclass(frozen=True)
class GlmFit:
    """Batched fit results (leading axis = batch)."""

    coef: np.ndarray  # (B, p)
    eta: np.ndarray  # (B, n) final linear predictor incl. offset
    mu: np.ndarray  # (B, n)
    work_weights: np.ndarray  # (B, n) R's model$weights (0 where excluded)
    cov_unscaled: np.ndarray  # (B, p, p) (X'WX)^-1 from the last iteration
    converged: np.ndarray  # (B,)
    rank: np.ndarray  # (B,)
    df_residual: np.ndarray  # (B,)


def _dev(y: np.ndarray, mu: np.ndarray, wt: np.ndarray) -> np.ndarray:
    """R's poisson()$dev.resids summed per batch item."""
    with np.errstate(divide="ignore", invalid="ignore"):
        r = np.where(y > 0, wt * (y * np.log(y / mu) - (y - mu)), mu * wt)
    return 2 * r.sum(axis=-1)


def _solve(a: np.ndarray, rhs: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Solve batched normal equations; columns with no information get coefficient 0 (R: NA).

    Returns (solution, inverse, rank).
    """
    diag = np.diagonal(a, axis1=-2, axis2=-1)
    empty = diag <= 0
    a = a.copy()
    if empty.any():
        bi, ci = np.nonzero(empty)
        a[bi, ci, ci] = 1.0
    inv = np.linalg.inv(a)
    if empty.any():
        # a zero column has zero off-diagonals; its inverse row/col must be zeroed as well
        inv[bi, ci, :] = 0.0
        inv[bi, :, ci] = 0.0
    sol = np.einsum("bij,bj->bi", inv, rhs)
    rank = a.shape[-1] - empty.sum(axis=-1)
    return sol, inv, rank


def fit_poisson_log(
    x: np.ndarray,
    y: np.ndarray,
    prior_weights: np.ndarray,
    offset: np.ndarray | None = None,
) -> GlmFit:
    """Fit log-link Poisson/quasi-Poisson GLMs for a batch, exactly as R's ``glm.fit``.

    x: (B, n, p); y: (B, n) with excluded rows set to any finite value; prior_weights: (B, n)
    with 0 for excluded rows; offset: (B, n) or None.
    """
    x = np.asarray(x, dtype=float)
    y = np.where(prior_weights > 0, np.asarray(y, dtype=float), 0.0)
    pw = np.asarray(prior_weights, dtype=float)
    off = np.zeros_like(y) if offset is None else np.where(pw > 0, offset, 0.0)
    bsz, _, p = x.shape

    eta = np.log(y + 0.1)
    mu = np.maximum(np.exp(eta), EPS)
    devold = _dev(y, mu, pw)
    coef = np.zeros((bsz, p))
    w_last = np.zeros_like(y)
    cov = np.zeros((bsz, p, p))
    rank = np.full(bsz, p)
    active = np.ones(bsz, dtype=bool)
    converged = np.zeros(bsz, dtype=bool)

    for _ in range(MAXIT):
        ia = np.flatnonzero(active)
        if ia.size == 0:
            break
        e, m, yy, ww, xx = eta[ia], mu[ia], y[ia], pw[ia], x[ia]
        mu_eta = np.maximum(np.exp(e), EPS)
        z = (e - off[ia]) + (yy - m) / mu_eta
        w = ww * mu_eta**2 / m
        xtw = xx * w[..., None]
        a = np.einsum("bni,bnj->bij", xtw, xx)
        rhs = np.einsum("bni,bn->bi", xtw, z)
        beta, inv, rk = _solve(a, rhs)
        e_new = np.einsum("bnp,bp->bn", xx, beta) + off[ia]
        m_new = np.maximum(np.exp(e_new), EPS)
        dev = _dev(yy, m_new, ww)
        done = np.abs(dev - devold[ia]) / (np.abs(dev) + 0.1) < EPSILON
        eta[ia], mu[ia], coef[ia], w_last[ia], cov[ia], rank[ia] = e_new, m_new, beta, w, inv, rk
        devold[ia] = dev
        converged[ia[done]] = True
        active[ia[done]] = False

    n_ok = (pw > 0).sum(axis=-1)
    return GlmFit(
        coef=coef,
        eta=eta,
        mu=mu,
        work_weights=np.where(pw > 0, w_last, 0.0),
        cov_unscaled=cov,
        converged=converged,
        rank=rank,
        df_residual=n_ok - rank,
    )


def pearson_dispersion(fit: GlmFit, y: np.ndarray) -> np.ndarray:
    """``summary.glm(model)$dispersion`` of an untouched fit: the Pearson dispersion."""
    return summary_dispersion(fit, y, fit.work_weights)


def summary_dispersion(fit: GlmFit, y: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """``summary.glm``'s sum(model$weights * working residuals^2) / df.residual.

    With ``weights = fit.work_weights`` this is the Pearson dispersion; ``farringtonFlexible``
    overwrites ``model$weights`` with the prior (Anscombe) weights before calling
    ``summary.glm`` and ``predict.glm``, and passing those here reproduces that.
    """
    y = np.where(weights > 0, y, 0.0)
    mu_eta = np.maximum(np.exp(fit.eta), EPS)
    resid = (y - fit.mu) / mu_eta
    num = np.where(weights > 0, weights * resid**2, 0.0).sum(axis=-1)
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(fit.df_residual > 0, num / fit.df_residual, np.nan)


def hat_values(fit: GlmFit, x: np.ndarray) -> np.ndarray:
    """Diagonal of the weighted hat matrix (R ``hatvalues`` for a glm)."""
    q = np.einsum("bni,bij,bnj->bn", x, fit.cov_unscaled, x)
    h = fit.work_weights * q
    return np.where(h > 1 - 10 * EPS, 1.0, h)


def predict_link(
    fit: GlmFit, x0: np.ndarray, offset0: np.ndarray | None, dispersion: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Linear predictor and its standard error at one new row per batch item (``predict.glm``)."""
    eta0 = np.einsum("bp,bp->b", x0, fit.coef)
    if offset0 is not None:
        eta0 = eta0 + offset0
    var = np.einsum("bi,bij,bj->b", x0, fit.cov_unscaled, x0)
    return eta0, np.sqrt(var * dispersion)
