"""Straightforward pure-Python transliterations of COINr's R functions (no numpy).

Used as an independent oracle: the engine is vectorised and reorganised for speed,
these are line-by-line ports of bluefoxr/COINr (R/normalise.R, R/treat.R,
R/aggregate.R, R/denominate.R).  NaN plays the role of R's NA.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

NAN = float("nan")


def _ok(v: float) -> bool:
    return not math.isnan(v)


def _vals(x: Sequence[float]) -> list[float]:
    return [v for v in x if _ok(v)]


def r_mean(x: Sequence[float]) -> float:
    v = _vals(x)
    return math.fsum(v) / len(v)


def r_sd(x: Sequence[float]) -> float:
    v = _vals(x)
    m = r_mean(v)
    return math.sqrt(math.fsum((a - m) ** 2 for a in v) / (len(v) - 1))


# --- R/normalise.R -----------------------------------------------------------------


def n_minmax(x: Sequence[float], l_u: tuple[float, float] = (0, 100)) -> list[float]:
    # (x-minx)/(maxx - minx)*(l_u[2]-l_u[1]) + l_u[1]
    mn, mx = min(_vals(x)), max(_vals(x))
    return [(a - mn) / (mx - mn) * (l_u[1] - l_u[0]) + l_u[0] if _ok(a) else NAN for a in x]


def n_zscore(x: Sequence[float], m_sd: tuple[float, float] = (0, 1)) -> list[float]:
    # (x-mean(x, na.rm = TRUE))/stats::sd(x, na.rm = TRUE)*m_sd[2] + m_sd[1]
    m, s = r_mean(x), r_sd(x)
    return [(a - m) / s * m_sd[1] + m_sd[0] if _ok(a) else NAN for a in x]


def n_dist2targ(
    x: Sequence[float], targ: float, direction: int = 1, cap_max: bool = False
) -> list[float]:
    if direction == 1:
        mn = min(_vals(x))
        y = [(a - mn) / (targ - mn) if _ok(a) else NAN for a in x]
    else:
        mx = max(_vals(x))
        y = [(mx - a) / (mx - targ) if _ok(a) else NAN for a in x]
    if cap_max:
        y = [1.0 if _ok(v) and v > 1 else v for v in y]
    return y


def n_goalposts(
    x: Sequence[float], gposts: Sequence[float], direction: int = 1, trunc2posts: bool = True
) -> list[float]:
    if direction == -1:
        y = [(a - gposts[1]) / (gposts[0] - gposts[1]) for a in x]
    else:
        y = [(a - gposts[0]) / (gposts[1] - gposts[0]) for a in x]
    if trunc2posts:
        y = [min(max(v, 0.0), 1.0) if _ok(v) else v for v in y]
    return [v * gposts[2] for v in y]


def n_rank(x: Sequence[float]) -> list[float]:
    # rank(x, ties.method = "min", na.last = "keep")
    v = _vals(x)
    return [float(1 + sum(1 for b in v if b < a)) if _ok(a) else NAN for a in x]


def normalise_numeric(
    x: Sequence[float], method: str, direction: int, **para: object
) -> list[float]:
    """Normalise.numeric + get_iMeta_norm_paras: x * direction, parameters flipped."""
    xd = [a * direction for a in x]
    if method == "minmax":
        return n_minmax(xd, para.get("l_u", (0, 100)))  # type: ignore[arg-type]
    if method == "zscore":
        return n_zscore(xd, para.get("m_sd", (0, 1)))  # type: ignore[arg-type]
    if method == "dist2targ":
        targ = float(para["targ"]) * direction  # type: ignore[arg-type]
        return n_dist2targ(xd, targ, 1, bool(para.get("cap_max", False)))
    if method == "goalposts":
        lo, hi, scale = (float(para[k]) for k in ("lower", "upper", "scale"))  # type: ignore[arg-type]
        # get_iMeta_norm_paras: negative direction -> gposts = (-upper, -lower, scale)
        gp = [-hi, -lo, scale] if direction == -1 else [lo, hi, scale]
        return n_goalposts(xd, gp, 1, bool(para.get("trunc", True)))
    if method == "rank":
        return n_rank(xd)
    raise ValueError(method)


# --- R/aggregate.R -----------------------------------------------------------------


def a_amean(x: Sequence[float], w: Sequence[float]) -> float:
    ww = [b for a, b in zip(x, w, strict=True) if _ok(a)]
    xx = _vals(x)
    if not xx:
        return NAN
    s = math.fsum(ww)
    return math.fsum(b / s * a for a, b in zip(xx, ww, strict=True))


def a_gmean(x: Sequence[float], w: Sequence[float]) -> float:
    pairs = [(a, b) for a, b in zip(x, w, strict=True) if _ok(a)]
    if not pairs:
        return NAN
    if any(a <= 0 for a, _ in pairs):
        raise ValueError("Negative or zero values found when applying geometric mean")
    return math.exp(math.fsum(b * math.log(a) for a, b in pairs) / math.fsum(b for _, b in pairs))


def a_hmean(x: Sequence[float], w: Sequence[float]) -> float:
    pairs = [(a, b) for a, b in zip(x, w, strict=True) if _ok(a)]
    if not pairs:
        return NAN
    if any(a == 0 for a, _ in pairs):
        raise ValueError("Zero values found when applying harmonic mean")
    return math.fsum(b for _, b in pairs) / math.fsum(b / a for a, b in pairs)


# --- R/treat.R -----------------------------------------------------------------------


def skew(x: Sequence[float]) -> float:
    v = _vals(x)
    n = len(v)
    m = math.fsum(v) / n
    d = [a - m for a in v]
    y = math.sqrt(n) * math.fsum(a**3 for a in d) / (math.fsum(a**2 for a in d) ** 1.5)
    return y * math.sqrt(n * (n - 1)) / (n - 2)


def kurt(x: Sequence[float]) -> float:
    v = _vals(x)
    n = len(v)
    m = math.fsum(v) / n
    d = [a - m for a in v]
    r = n * math.fsum(a**4 for a in d) / (math.fsum(a**2 for a in d) ** 2)
    return ((n + 1) * (r - 3) + 6) * (n - 1) / ((n - 2) * (n - 3))


def check_skew_kurt(x: Sequence[float], skew_thresh: float = 2, kurt_thresh: float = 3.5) -> bool:
    return abs(skew(x)) < skew_thresh or kurt(x) < kurt_thresh


def winsorise(
    x: Sequence[float], winmax: int = 5, skew_thresh: float = 2, kurt_thresh: float = 3.5
) -> tuple[list[float], int]:
    """The R loop, including its nwin = length(imax) + length(imin) bookkeeping."""
    x = list(x)
    passing = check_skew_kurt(x, skew_thresh, kurt_thresh)
    nwin = 0
    imax: list[int] = []
    imin: list[int] = []
    if not passing:
        below = nwin < winmax
        while not passing and below:
            if skew(x) >= 0:
                mx = max(_vals(x))
                imax = [i for i, a in enumerate(x) if a == mx]
                x_rest = [a for i, a in enumerate(x) if i not in imax]
                new = max(_vals(x_rest))
                for i in imax:
                    x[i] = new
            else:
                mn = min(_vals(x))
                imin = [i for i, a in enumerate(x) if a == mn]
                x_rest = [a for i, a in enumerate(x) if i not in imin]
                new = min(_vals(x_rest))
                for i in imin:
                    x[i] = new
            nwin = len(imax) + len(imin)
            below = nwin < winmax
            passing = check_skew_kurt(x, skew_thresh, kurt_thresh)
    return x, nwin


def log_ct(x: Sequence[float]) -> list[float]:
    mn, mx = min(_vals(x)), max(_vals(x))
    return [math.log(a - mn + 0.01 * (mx - mn)) if _ok(a) else NAN for a in x]


def treat_numeric(x: Sequence[float]) -> tuple[list[float], str]:
    """Treat.numeric with COINr's default specs (f1 winsorise, f2 log_CT, f_pass
    check_SkewKurt, combine_treat = FALSE)."""
    if check_skew_kurt(x):
        return list(x), "none"
    x1, _ = winsorise(x)
    if check_skew_kurt(x1):
        return x1, "winsorised"
    return log_ct(x), "log_ct"  # applied to the ORIGINAL x


# --- R/denominate.R -------------------------------------------------------------------


def denominate(x: float, denom: float, scale_factor: float = 1.0) -> float:
    # dcol <- denoms[[denom_code]] / ScaleFactor; x / dcol
    return x / (denom / scale_factor)
