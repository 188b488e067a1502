"""Template helpers for the archive's pages: the coverage chart and small formatting."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.utils.dates import MONTHS
from django.utils.html import format_html_join

from ..selectors.aggregates import MonthCount

register = template.Library()

CHART_WIDTH, CHART_HEIGHT = 720, 180
LEFT, RIGHT, TOP, BOTTOM = 40, 8, 12, 28
MAX_YEAR_LABELS = 12
MAX_BAR_STEP = 48


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    month: object
    count: int


@dataclass(frozen=True, slots=True)
class Label:
    x: float
    text: str


def _nice_max(value: int) -> int:
    """A round number at or above ``value`` for the top of the y axis."""
    if value <= 5:
        return max(value, 1)
    magnitude = 10 ** (len(str(value)) - 1)
    for step in (1, 2, 2.5, 5, 10):
        top = int(step * magnitude)
        if top >= value:
            return top
    return value


@register.inclusion_tag("includes/coverage_chart.html")
def coverage_chart(series: list[MonthCount], label: str = "Stories per month"):
    """A bar chart of articles per month as inline SVG (no script, no inline style), with the
    same numbers in a table for screen readers and anyone who wants them."""
    if not series:
        return {"series": [], "label": label}
    plot_w = CHART_WIDTH - LEFT - RIGHT
    plot_h = CHART_HEIGHT - TOP - BOTTOM
    top = _nice_max(max(m.count for m in series))
    # A few months should not become a few slabs as wide as the chart.
    step = min(plot_w / len(series), MAX_BAR_STEP)
    gap = min(1.0, step * 0.15)
    bars = []
    for i, m in enumerate(series):
        height = plot_h * m.count / top
        bars.append(
            Bar(
                x=round(LEFT + i * step + gap / 2, 2),
                y=round(TOP + plot_h - height, 2),
                width=round(max(step - gap, 0.5), 2),
                height=round(height, 2),
                month=m.month,
                count=m.count,
            )
        )
    years = sorted({m.month.year for m in series})
    every = max(1, -(-len(years) // MAX_YEAR_LABELS))
    labels = []
    for i, m in enumerate(series):
        # A series skips long empty gaps (aggregates.MAX_GAP_MONTHS): label the far side.
        jump = i > 0 and series[i - 1].month.year < m.month.year - 1
        if jump or ((i == 0 or m.month.month == 1) and (m.month.year - years[0]) % every == 0):
            labels.append(Label(x=round(LEFT + i * step, 2), text=str(m.month.year)))
    total = sum(m.count for m in series)
    # The per-month markup is built here rather than in template loops: a decade of months is
    # 120+ bars and table rows, and the template engine made them most of a page's render time.
    # "F Y" as the date filter writes it (dateformat's F is MONTHS[month]), without its cost.
    names = {m.month: f"{MONTHS[m.month.month]} {m.month.year}" for m in series}
    bars_svg = format_html_join(
        "",
        '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title>'
        "</rect>",
        ((b.x, b.y, b.width, b.height, names[b.month], b.count) for b in bars),
    )
    table_rows = format_html_join(
        "",
        '<tr><th scope="row">{}</th><td>{}</td></tr>',
        ((names[m.month], thousands(m.count)) for m in series if m.count),
    )
    return {
        "series": series,
        "bars": bars,
        "bars_svg": bars_svg,
        "table_rows": table_rows,
        "labels": labels,
        "label": label,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "left": LEFT,
        "right_edge": CHART_WIDTH - RIGHT,
        "top": TOP,
        "baseline": TOP + plot_h,
        "label_y": CHART_HEIGHT - 8,
        "y_max": top,
        "mid_y": TOP + plot_h / 2,
        "total": total,
        "first": series[0].month,
        "last": series[-1].month,
        "peak": max(series, key=lambda m: m.count),
    }


@register.filter
def pages_around(page_obj) -> list:
    """Page numbers to link: the ends and two either side of the current page, with
    ``Paginator.ELLIPSIS`` in the gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(page_obj.number, on_each_side=2, on_ends=1)
    )


@register.filter
def thousands(value) -> str:
    """12345 -> "12,345"."""
    try:
        return f"{int(value):,}"
    except (TypeError, ValueError):
        return str(value)


@register.simple_tag(takes_context=True)
def querystring_set(context, key: str, value=None) -> str:
    """The current query string with ``key`` set to ``value`` (removed when None) and the page
    reset: for links whose parameter name is a variable, which ``{% querystring %}`` can't
    take."""
    params = context.request.GET.copy()
    params.pop("page", None)
    if value is None:
        params.pop(key, None)
    else:
        params[key] = value
    return "?" + params.urlencode() if params else "?"
