# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Value curve fitting: p(d) = p0 * 2 ** (-d / half_life) fitted to delay bins.

Plain functions (no model), pure Python (numpy is not a dependency of Odoo); the
crm.lead.value.curve model (crm_lead_value_curve.py) feeds them the bins of its
aggregate query. Maximum likelihood (binomial) for the win rate: Newton on p0 for
a fixed half-life (the log-likelihood is concave in p0), golden-section search on
log(half_life) over that profile, and the 95% confidence interval of the half-life
where the profile deviance crosses 3.84 (chi-square, 1 degree of freedom). Won
revenue per lead gets the same shape and the same search, on a quasi-Poisson
likelihood (r0 in closed form for a half-life)."""

import math

# search range of the half-life (working hours)
HALF_LIFE_BOUNDS = (0.05, 5000.0)
_LOG_HALF_LIFE_BOUNDS = tuple(math.log(bound) for bound in HALF_LIFE_BOUNDS)
CHI2_95 = 3.841458820694124


def _p0_for(bins, half_life):
    """Maximum-likelihood p0 for a fixed half-life, and the log-likelihood there.

    :param bins: [(delay, leads, wins)]
    """
    factors = [(2.0 ** (-d / half_life), n, w) for d, n, w in bins]
    wins = sum(w for _f, _n, w in factors)
    if wins <= 0:
        return 0.0, 0.0
    exposure = sum(f * n for f, n, _w in factors)
    p0 = min(wins / exposure, 1.0 - 1e-9)
    for _i in range(50):
        grad = wins / p0
        curv = -wins / (p0 * p0)
        for f, n, w in factors:
            if n > w:
                q = 1.0 - p0 * f
                grad -= (n - w) * f / q
                curv -= (n - w) * f * f / (q * q)
        if abs(grad) < 1e-10 * wins:
            break
        step = grad / curv
        new = p0 - step
        # stay inside (0, 1): halve towards the bound instead of jumping over it
        if new <= 0:
            new = p0 / 2
        elif new >= 1:
            new = (p0 + 1) / 2
        if abs(new - p0) < 1e-12:
            p0 = new
            break
        p0 = new
    loglik = 0.0
    for f, n, w in factors:
        p = p0 * f
        if w:
            loglik += w * math.log(p)
        if n > w:
            loglik += (n - w) * math.log1p(-p)
    return p0, loglik


def _r0_for(bins, half_life):
    """Quasi-Poisson estimate of the revenue per lead r0 for a fixed half-life, and
    the quasi-log-likelihood there (r0 in closed form: sum(revenue) / sum(leads x
    2^(-d/h))).

    :param bins: [(delay, leads, revenue)]
    """
    factors = [(2.0 ** (-d / half_life), n, r) for d, n, r in bins]
    revenue = sum(r for _f, _n, r in factors)
    r0 = revenue / sum(f * n for f, n, _r in factors)
    return r0, sum(r * math.log(r0 * f) for f, _n, r in factors if r) - revenue


def _fit_half_life(estimate, bins):
    """Fit level * 2^(-d/half_life) to bins: golden-section search on log(half_life)
    over the profile likelihood of ``estimate(bins, half_life) -> (level, loglik)``.

    :return: (log of the half-life, level, log-likelihood) at the best half-life
    """
    best = _golden_max(
        lambda log_h: estimate(bins, math.exp(log_h))[1], *_LOG_HALF_LIFE_BOUNDS
    )
    return (best, *estimate(bins, math.exp(best)))


def _golden_max(func, low, high, iterations=80):
    """Maximise a unimodal function on [low, high] (golden-section search)."""
    ratio = (math.sqrt(5) - 1) / 2
    a, b = low, high
    c, d = b - ratio * (b - a), a + ratio * (b - a)
    fc, fd = func(c), func(d)
    for _i in range(iterations):
        if fc > fd:
            b, d, fd = d, c, fc
            c = b - ratio * (b - a)
            fc = func(c)
        else:
            a, c, fc = c, d, fd
            d = a + ratio * (b - a)
            fd = func(d)
        if b - a < 1e-6:
            break
    return (a + b) / 2


def _bisect(func, low, high, iterations=30):
    """A root of func between low and high, where func changes sign."""
    f_low = func(low)
    for _i in range(iterations):
        mid = (low + high) / 2
        f_mid = func(mid)
        if (f_mid > 0) == (f_low > 0):
            low, f_low = mid, f_mid
        else:
            high = mid
    return (low + high) / 2


def fit_value_curve(bins):
    """Fit p(d) = p0 * 2^(-d/half_life) and the won revenue per lead to delay bins.

    :param bins: [(delay_hours, leads, wins, won_revenue)]
    :return: dict of p0, half_life, half_life_low, half_life_high (None when the
        interval is unbounded on that side), revenue_p0, revenue_half_life
    """
    rate_bins = [(d, n, w) for d, n, w, _r in bins if n]
    if not rate_bins or not sum(w for _d, _n, w in rate_bins):
        return {}
    low, high = _LOG_HALF_LIFE_BOUNDS
    best, p0, loglik = _fit_half_life(_p0_for, rate_bins)

    def deviance_gap(log_h):
        return 2 * (loglik - _p0_for(rate_bins, math.exp(log_h))[1]) - CHI2_95

    ci_low = (
        math.exp(_bisect(deviance_gap, low, best)) if deviance_gap(low) > 0 else None
    )
    ci_high = (
        math.exp(_bisect(deviance_gap, best, high)) if deviance_gap(high) > 0 else None
    )

    # Revenue per lead mu(d) = r0 * 2^(-d/h), the same search on its own likelihood.
    if sum(r for _d, _n, _w, r in bins) > 0:
        log_revenue_h, revenue_p0, _loglik = _fit_half_life(
            _r0_for, [(d, n, r) for d, n, _w, r in bins]
        )
        revenue_h = math.exp(log_revenue_h)
    else:
        revenue_h, revenue_p0 = math.exp(best), 0.0
    return {
        "p0": p0,
        "half_life": math.exp(best),
        "half_life_low": ci_low,
        "half_life_high": ci_high,
        "revenue_p0": revenue_p0,
        "revenue_half_life": revenue_h,
    }
