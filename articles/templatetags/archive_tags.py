"""Template helpers for the archive's pages: the coverage chart and small formatting."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.urls import reverse
from django.utils.dates import MONTHS
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from .. import caching
from ..selectors.aggregates import MonthCount, month_bounds

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
    minor: bool = False


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


def _month_href(month, link: str) -> str:
    """Where a bar leads: the month's archive page (``link`` "archive"), or the list filtered
    by ``link`` (``person=...``) for that month."""
    if link == "archive":
        return reverse("articles:archive_month", args=[f"{month.year:04d}", f"{month.month:02d}"])
    first, last = month_bounds(month)  # December 9999 included
    dates = f"date_from={first.isoformat()}&date_to={last.isoformat()}"
    return f"{reverse('articles:list')}?{link}&{dates}"


def _labels(series: list[MonthCount], step: float) -> list[Label]:
    """Year labels on a long series; month labels ("Mar") when it spans two years or less.
    Every other label is "minor" (hidden on a phone, where the ticks are drawn larger)."""
    labels = []
    if len(series) <= 24:
        every = 1 if len(series) <= 12 else 3
        for i, m in enumerate(series):
            if i % every == 0:
                year = f" {m.month.year}" if i == 0 or m.month.month == 1 else ""
                text = MONTHS[m.month.month][:3] + year
                labels.append(Label(x=round(LEFT + i * step + step / 2, 2), text=text))
        return [
            Label(lab.x, lab.text, minor=bool(i % 2 and len(labels) > 6))
            for i, lab in enumerate(labels)
        ]
    years = sorted({m.month.year for m in series})
    every = max(1, -(-len(years) // MAX_YEAR_LABELS))
    for i, m in enumerate(series):
        # A series skips long empty gaps (aggregates.MAX_GAP_MONTHS): label the far side.
        jump = i > 0 and series[i - 1].month.year < m.month.year - 1
        if jump or ((i == 0 or m.month.month == 1) and (m.month.year - years[0]) % every == 0):
            labels.append(Label(x=round(LEFT + i * step, 2), text=str(m.month.year)))
    return [
        Label(lab.x, lab.text, minor=bool(i % 2 and len(labels) > 6))
        for i, lab in enumerate(labels)
    ]


def _bars_svg(bars: list[Bar], names: dict, link: str):
    """The bars as SVG; each one with stories wrapped in a link when ``link`` is given."""
    rect = (
        '<rect class="chart__bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>'
    )
    linked = '<a class="chart__link" href="{}" aria-label="{}: {} stor{}">' + rect + "</a>"
    return format_html_join(
        "",
        "{}",
        (
            (
                format_html(
                    linked,
                    _month_href(b.month, link),
                    names[b.month],
                    b.count,
                    "y" if b.count == 1 else "ies",
                    b.x,
                    b.y,
                    b.width,
                    b.height,
                    names[b.month],
                    b.count,
                )
                if link and b.count
                else format_html(rect, b.x, b.y, b.width, b.height, names[b.month], b.count),
            )
            for b in bars
        ),
    )


@register.inclusion_tag("includes/coverage_chart.html")
def coverage_chart(series: list[MonthCount], label: str = "Stories per month", link: str = ""):
    """A bar chart of articles per month as inline SVG (no script, no inline style), with the
    same numbers in a table for screen readers and anyone who wants them. Each bar with stories
    is a link (``link``: "archive", or a list parameter such as ``person=slug``), so a
    keyboard reaches it. One or two stories are a sentence, not a chart."""
    if not series:
        return {"series": [], "label": label}
    total = sum(m.count for m in series)
    if total <= 2:
        months = [m for m in series if m.count]
        names = [f"{MONTHS[m.month.month]} {m.month.year}" for m in months]
        if len(months) == 1 and months[0].count == 2:
            names = [f"both in {names[0]}"]
        return {"series": series, "sentence": True, "total": total, "names": names}
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
    labels = _labels(series, step)
    # The per-month markup is built here rather than in template loops: a decade of months is
    # 120+ bars and table rows, and the template engine made them most of a page's render time.
    # "F Y" as the date filter writes it (dateformat's F is MONTHS[month]), without its cost.
    names = {m.month: f"{MONTHS[m.month.month]} {m.month.year}" for m in series}
    bars_svg = _bars_svg(bars, names, link)
    counts = sorted((m.count for m in series), reverse=True)
    # "Most in March 2023" only when one month has more than every other.
    peak = max(series, key=lambda m: m.count) if len(counts) == 1 or counts[0] > counts[1] else None
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
        "peak": peak,
        "bars_linked": bool(link),
        "month_labels": len(series) <= 24,
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
    params.pop("not_found", None)
    if value is None:
        params.pop(key, None)
    else:
        params[key] = value
    return "?" + params.urlencode() if params else "?"


@register.simple_tag(takes_context=True)
def querystring_toggle(context, key: str, value: str) -> str:
    """The current query string with ``value`` added to ``key``'s values, or removed when it
    is there already (case-insensitively), and the page reset: facet links and filter chips."""
    params = context.request.GET.copy()
    params.pop("page", None)
    params.pop("not_found", None)
    values = params.getlist(key)
    kept = [v for v in values if v.strip().lower() != str(value).strip().lower()]
    params.setlist(key, kept if len(kept) < len(values) else [*values, str(value)])
    if not params.getlist(key):
        params.pop(key)
    return "?" + params.urlencode() if params else "?"


@register.filter
def lower_in(value, values) -> bool:
    """True when ``value`` lower-cased is in ``values`` (a set of lower-cased strings)."""
    return str(value).strip().lower() in (values or ())


@register.filter
def summary(article, words: int = 40) -> str:
    """A story's summary for a list: the first paragraph of its body (``teaser``), else its
    caption, shortened to ``words`` words."""
    # ``teaser`` on lists; the whole body text on the article page (never a deferred read).
    start = getattr(article, "teaser", None) or article.__dict__.get("body_text") or ""
    text = start.split("\n\n", 1)[0].strip()
    text = text or (article.caption or "")
    parts = text.split()
    return " ".join(parts[:words]) + (" …" if len(parts) > words else "")


@register.filter
def filter_value(row, param: str) -> str:
    """What a row is called in a list URL's ``param``: a section's path, a country's ISO
    code, a slug otherwise."""
    if param == "section":
        return row.path
    if param == "country":
        return row.iso_code
    return row.slug


class FragmentNode(template.Node):
    def __init__(self, nodelist, name, vary, scope):
        self.nodelist, self.name, self.vary, self.scope = nodelist, name, vary, scope

    def render(self, context):
        request = context.get("request")
        user = getattr(request, "user", None)
        if request is None or (user is not None and user.is_authenticated):
            # Editors' pages are never shared with anyone (nor stored for them).
            return self.nodelist.render(context)
        scope = (self.scope.resolve(context) if self.scope else None) or None  # "": no entity
        if scope is not None and not isinstance(scope, str):
            scope = caching.scope_of(scope)
        vary = [request.path, *(v.resolve(context) for v in self.vary)]
        html = caching.fragment(
            self.name.resolve(context), vary, scope, lambda: self.nodelist.render(context)
        )
        return mark_safe(html)  # rendered by the template engine, which escaped it


@register.tag
def fragment(parser, token):
    """``{% fragment "name" value ... [scope=entity] %}...{% endfragment %}``: the enclosed
    markup rendered once per archive version (or per version of ``scope``, an entity page's,
    given as the entity or its scope name), request path and the values after the name (a
    ``request.GET`` counts by the parameters public pages read), and served from the cache
    otherwise. Logged-in readers always get it rendered afresh."""
    bits = token.split_contents()[1:]
    if not bits:
        raise template.TemplateSyntaxError("{% fragment %} needs a name")
    scope = None
    if bits[-1].startswith("scope="):
        scope = parser.compile_filter(bits.pop()[len("scope=") :])
    name, *vary = (parser.compile_filter(bit) for bit in bits)
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    return FragmentNode(nodelist, name, vary, scope)
