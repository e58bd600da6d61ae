"""Plain-Chinese reasons for alerts and risk levels, generated from the numbers.

Every reason is built here so that one rule governs what a published sentence may say: a
count between 1 and k-1 (k = the suppression threshold, 10) is never quoted; it becomes
"少量（<10）", and a baseline or percentage that would let a reader recover it is dropped.
"""

from __future__ import annotations

import math

SUPPRESSION_K = 10
SMALL_TEXT = f"少量（<{SUPPRESSION_K}）"


def is_small(n: float | None, k: int = SUPPRESSION_K) -> bool:
    """True for counts that publication suppresses (1 … k-1)."""
    return n is not None and not math.isnan(n) and 1 <= n < k


def count_text(n: float, unit: str, k: int = SUPPRESSION_K) -> str:
    """ "23 起", or "少量（<10）" for a small count."""
    if is_small(n, k):
        return f"少量（<{k}）"
    return f"{int(round(n))} {unit}"


def alert_reason(
    label: str,
    unit: str,
    observed: float,
    expected: float | None,
    upper: float | None,
    *,
    kind: str = "rate",
    denominator: float | None = None,
    baseline_months: int = 12,
    window_months: int = 1,
    k: int = SUPPRESSION_K,
) -> str:
    """One sentence for one alert, e.g.
    "劳资纠纷警情 23 起，较前 12 个月基线 8.7 起上升 164%，超出预警上限（14.2 起）"."""
    if kind == "proportion":
        return _proportion_reason(label, observed, expected, upper, denominator, k)
    has_base = expected is not None and not math.isnan(expected)
    head = f"{label} {count_text(observed, unit, k)}"
    if window_months > 1:
        head = f"近 {window_months} 个月{label}累计 {count_text(observed, unit, k)}"
    if is_small(observed, k) or not has_base:
        # quoting the baseline and the rise would let the small count be recomputed
        return f"{head}，明显高于前 {baseline_months} 个月基线，超出预警上限"
    if expected > 0:
        rise = (observed - expected) / expected * 100
        basis = (
            f"前 {baseline_months} 个月"
            if window_months == 1
            else f"按前 {baseline_months} 个月推算的同期"
        )
        base = f"较{basis}基线 {expected:.1f} {unit}上升 {rise:.0f}%"
    else:
        base = f"前 {baseline_months} 个月基线为 0"
    bound = f"（{upper:.1f} {unit}）" if upper is not None and not math.isnan(upper) else ""
    return f"{head}，{base}，超出预警上限{bound}"


def _proportion_reason(label, positives, expected, upper, screened, k) -> str:
    if screened is None or screened <= 0:
        return f"{label}比例超出预警上限"
    share = positives / screened * 100
    if is_small(positives, k) or is_small(screened, k):
        return f"{label}比例明显高于基线（阳性人数少量（<{k}）），超出预警上限"
    base_share = (
        expected / screened * 100 if expected is not None and not math.isnan(expected) else None
    )
    base = f"，基线 {base_share:.1f}%" if base_share is not None else ""
    return f"{label}比例 {share:.1f}%（筛查 {int(screened)} 人）{base}，超出预警上限"


def level_reason(level_zh: str, index: float, top: list[tuple[str, float, str]]) -> str:
    """Why a township has its level: the index and the domains that drive it.

    ``top``: (domain label, contribution, its strongest indicator's alert reason or "").
    """
    if not top:
        return f"综合风险指数 {index:.1f}，各领域均未见明显异常，{level_zh}"
    parts = []
    for label, contrib, detail in top:
        text = f"{label}贡献 {contrib:.1f} 分"
        if detail:
            text += f"（{detail}）"
        parts.append(text)
    return f"综合风险指数 {index:.1f}，{level_zh}：" + "；".join(parts)
