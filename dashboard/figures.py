"""Pure chart builders: (DataFrame, its columns with headers in the reader's language) -> Figure.

Each builder takes the query's frame as it is and the Column of each field (dashboard.exports), so
the chart, the grid and the Excel sheet of a tile name and format a field the same way. A chart
whose categories are org units carries each unit's code in customdata: a click drills into it.
"""
from __future__ import annotations

from typing import Sequence

import pandas as pd
import plotly.graph_objects as go
import plotly.io as pio

from dashboard.exports import Column

FONT = "PingFang SC, Microsoft YaHei, WenQuanYi Micro Hei, Noto Sans CJK SC, sans-serif"
COLORS = ("#1f5fa8", "#e07b39", "#3a9d5d", "#c23b3b", "#7d5ba6", "#8c8c8c", "#d4a017", "#2a9d9d")
# Plotly's d3 formats of the column kinds: axis ticks and hover values.
# (~ drops trailing zeros: 20%, 0.5%; a small count axis may tick at 0.5 rather than repeat 0, 1, 1.)
TICK_FORMATS = {"rate": ".1~%", "count": ",~f", "money": ",.0f", "hours": ",~f", "days": ",~f",
                "number": ",~f", "ms": ",.0f"}
HOVER_FORMATS = {"rate": ".1%", "count": ",d", "money": ",.2f", "hours": ",.1f", "days": ",.1f",
                 "number": ",.1f", "ms": ",.0f"}
HEIGHT = 340
# The house template: plotly_white's layout for 2-D charts with our colours. Naming plotly_white
# itself deep-copies its defaults for every trace type, 3-D and maps included: that was half of a
# chart's build time and 6 KB of every chart's JSON.
_WHITE = pio.templates["plotly_white"].layout.to_plotly_json()
pio.templates["oa"] = go.layout.Template(layout={
    **{k: v for k, v in _WHITE.items() if k not in ("polar", "ternary", "scene", "geo", "mapbox")},
    "colorway": list(COLORS)})
# go.Figure() copies the default template when it is made: ours is the default of every chart.
pio.templates.default = "oa"

Columns = dict[str, Column]


def bar(frame: pd.DataFrame, columns: Columns, *, x: str, y: Sequence[str], drill: str | None = None,
        horizontal: bool = False, stacked: bool = False, line: str | None = None) -> go.Figure:
    """Bars of the y fields per x category (grouped or stacked), optionally a rate field as a line
    on a second axis; with drill, each bar carries that field (a unit code) for the click."""
    fig = go.Figure()
    for i, field in enumerate(y):
        values, cats = frame[field], frame[x].astype(str)
        fig.add_bar(
            x=values if horizontal else cats, y=cats if horizontal else values,
            orientation="h" if horizontal else "v", name=columns[field].label,
            marker_color=COLORS[i % len(COLORS)],
            customdata=frame[drill] if drill else None,
            hovertemplate=_hover(columns[x].label, columns[field], horizontal))
    if line:
        fig.add_scatter(x=frame[x].astype(str), y=frame[line], name=columns[line].label, yaxis="y2",
                        mode="lines+markers", line_color=COLORS[len(y) % len(COLORS)],
                        hovertemplate=_hover(columns[x].label, columns[line], False))
        fig.update_layout(yaxis2={"overlaying": "y", "side": "right", "showgrid": False,
                                  "tickformat": TICK_FORMATS.get(columns[line].kind, ""),
                                  "rangemode": "tozero"})
    value_axis = {"tickformat": TICK_FORMATS.get(columns[y[0]].kind, ""), "rangemode": "tozero"}
    category_axis = {"type": "category", "automargin": True}
    if horizontal:
        fig.update_layout(xaxis=value_axis, yaxis={**category_axis, "autorange": "reversed"},
                          height=max(HEIGHT, 26 * len(frame) + 80))
    else:
        fig.update_layout(yaxis=value_axis, xaxis=category_axis)
    fig.update_layout(barmode="stack" if stacked else "group")
    return _styled(fig, drill is not None)


def trend(frame: pd.DataFrame, columns: Columns, *, x: str, y: Sequence[str],
          bars: Sequence[str] = (), tickformat: str = "%Y-%m-%d") -> go.Figure:
    """Lines of the y fields over x (dates, or labels such as "2025-10"), with the bars fields as
    bars beneath; dates written with tickformat (digits: the zh-CN locale's month names read
    oddly on an axis)."""
    fig = go.Figure()
    if pd.api.types.is_datetime64_any_dtype(frame[x]) or columns[x].kind in ("date", "datetime"):
        fig.update_xaxes(tickformat=tickformat, hoverformat="%Y-%m-%d")
    else:
        fig.update_xaxes(type="category")
    for i, field in enumerate(bars):
        fig.add_bar(x=frame[x], y=frame[field], name=columns[field].label,
                    marker_color=COLORS[(i + len(y)) % len(COLORS)],
                    hovertemplate=_hover(columns[x].label, columns[field], False))
    for i, field in enumerate(y):
        fig.add_scatter(x=frame[x], y=frame[field], name=columns[field].label, mode="lines+markers",
                        line_color=COLORS[i % len(COLORS)], yaxis="y2" if bars else "y",
                        hovertemplate=_hover(columns[x].label, columns[field], False))
    axis = {"tickformat": TICK_FORMATS.get(columns[y[0]].kind, ""), "rangemode": "tozero"}
    if bars:
        fig.update_layout(yaxis={"tickformat": TICK_FORMATS.get(columns[bars[0]].kind, ""),
                                 "rangemode": "tozero"},
                          yaxis2={**axis, "overlaying": "y", "side": "right", "showgrid": False})
    else:
        fig.update_layout(yaxis=axis)
    return _styled(fig, False)


def pyramid(frame: pd.DataFrame, columns: Columns, *, band: str, left: str, right: str) -> go.Figure:
    """A population pyramid: the left field's bars to the left, the right field's to the right,
    one row per band (youngest at the bottom)."""
    fig = go.Figure()
    fig.add_bar(y=frame[band], x=-frame[left], customdata=frame[left], orientation="h",
                name=columns[left].label, marker_color=COLORS[0],
                hovertemplate=f"{columns[band].label} %{{y}}<br>{columns[left].label} %{{customdata:,d}}<extra></extra>")
    fig.add_bar(y=frame[band], x=frame[right], orientation="h", name=columns[right].label,
                marker_color=COLORS[1],
                hovertemplate=f"{columns[band].label} %{{y}}<br>{columns[right].label} %{{x:,d}}<extra></extra>")
    top = max(int(frame[left].max() or 0), int(frame[right].max() or 0), 1)
    ticks = [round(top * f) for f in (-1, -0.5, 0, 0.5, 1)]
    fig.update_layout(barmode="relative", bargap=0.05,
                      xaxis={"tickvals": ticks, "ticktext": [f"{abs(t):,}" for t in ticks]},
                      yaxis={"type": "category"})
    return _styled(fig, False)


def shares(frame: pd.DataFrame, columns: Columns, *, groups: dict[str, Sequence[str]],
           total: str) -> go.Figure:
    """One 100% bar per group of fields (gender, age band, ...): each field's share of total, from
    the frame's last row (the 合计 row of a statistical form)."""
    row = frame.iloc[-1]
    fig = go.Figure()
    names = list(groups)
    for group, fields in groups.items():
        for i, field in enumerate(fields):
            share = row[field] / row[total] if row[total] else 0
            fig.add_bar(y=[group], x=[share], orientation="h", name=columns[field].label,
                        text=columns[field].label, textposition="inside", insidetextanchor="middle",
                        marker_color=COLORS[i % len(COLORS)], showlegend=False,
                        hovertemplate=f"{columns[field].label} %{{x:.1%}} ({int(row[field]):,})<extra></extra>")
    fig.update_layout(barmode="stack", xaxis={"tickformat": ".0%", "range": [0, 1]},
                      yaxis={"type": "category", "categoryorder": "array", "categoryarray": names[::-1]},
                      height=max(HEIGHT, 44 * len(names) + 60))
    return _styled(fig, False)


def heatmap(frame: pd.DataFrame, columns: Columns, *, x: str, y: str, z: str,
            text: str | None = None) -> go.Figure:
    """A heatmap of z over x and y (long frame, one row per cell); text, if given, marks cells."""
    grid = frame.pivot(index=y, columns=x, values=z)
    labels = frame.pivot(index=y, columns=x, values=text).fillna("") if text else None
    fig = go.Figure(go.Heatmap(
        z=grid.values, x=list(grid.columns), y=list(grid.index), colorscale="Blues",
        text=labels.values if labels is not None else None,
        texttemplate="%{text}" if labels is not None else None,
        colorbar={"tickformat": TICK_FORMATS.get(columns[z].kind, "")},
        hovertemplate=f"{columns[x].label} %{{x}}<br>{columns[y].label} %{{y}}<br>{columns[z].label} "
                      f"%{{z:{HOVER_FORMATS.get(columns[z].kind, '')}}}<extra></extra>"))
    fig.update_layout(yaxis={"type": "category", "autorange": "reversed"}, xaxis={"type": "category"})
    return _styled(fig, False)


def pie(frame: pd.DataFrame, columns: Columns, *, names: str, values: str) -> go.Figure:
    """A donut of values by names."""
    fig = go.Figure(go.Pie(labels=frame[names], values=frame[values], hole=0.45, sort=False,
                           marker={"colors": list(COLORS)},
                           hovertemplate=f"%{{label}}<br>{columns[values].label} %{{value:,}} "
                                         f"(%{{percent}})<extra></extra>"))
    return _styled(fig, False)


def _hover(category: str, column: Column, horizontal: bool) -> str:
    value = "%{x" if horizontal else "%{y"
    cat = "%{y}" if horizontal else "%{x}"
    return f"{category} {cat}<br>{column.label} {value}:{HOVER_FORMATS.get(column.kind, '')}}}<extra></extra>"


def _styled(fig: go.Figure, drillable: bool) -> go.Figure:
    """The house look: white, small margins, legend on top, CJK fonts; a hand over drillable bars."""
    fig.update_layout(height=fig.layout.height or HEIGHT,
                      margin={"l": 10, "r": 10, "t": 30, "b": 10}, font={"family": FONT, "size": 12},
                      legend={"orientation": "h", "yanchor": "bottom", "y": 1.0, "x": 0},
                      hoverlabel={"font_family": FONT}, clickmode="event" if drillable else "none")
    return fig


def capped_bar(frame: pd.DataFrame, columns: Columns, *, x: str, y: str, cap: str, flag: str,
               drill: str | None = None) -> go.Figure:
    """Bars of a share field y per x category against a cap (the field cap holds the setting): a
    dashed line at the cap, the bars whose flag field is true (above the cap) in red; with drill,
    each bar carries that field (a unit code) for the click."""
    limit = float(frame[cap].iloc[0])
    fig = go.Figure()
    fig.add_bar(x=frame[x].astype(str), y=frame[y], name=columns[y].label,
                marker_color=[COLORS[3] if above else COLORS[0] for above in frame[flag].astype(bool)],
                customdata=frame[drill] if drill else None,
                hovertemplate=_hover(columns[x].label, columns[y], False))
    fig.add_hline(y=limit, line_dash="dash", line_color=COLORS[3],
                  annotation_text=f"{columns[cap].label} {limit:.1%}", annotation_position="top left")
    fig.update_layout(yaxis={"tickformat": TICK_FORMATS.get(columns[y].kind, ""), "rangemode": "tozero"},
                      xaxis={"type": "category", "automargin": True}, showlegend=False)
    return _styled(fig, drill is not None)


def calendar(frame: pd.DataFrame, columns: Columns, *, date: str, z: str, weekday: str,
             mark: str | None = None, note: str | None = None) -> go.Figure:
    """A calendar heatmap: one cell per day (a column per week from Monday, a row per weekday,
    labelled by the weekday field), z as colour; days without z in grey. The mark field's text (a
    holiday, a 调休 working day) shows in the cell, with the day of the month when there are few
    weeks; note (a holiday's name) joins the date on hover."""
    days = pd.to_datetime(frame[date]).reset_index(drop=True)
    mondays = days - pd.to_timedelta(days.dt.weekday, unit="D")
    weeks = sorted(set(mondays))
    column_of = {week: i for i, week in enumerate(weeks)}
    short = len(weeks) <= 6

    def grid(fill):
        return [[fill] * len(weeks) for _row in range(7)]

    rate, blank, text, off_text, custom = grid(None), grid(None), grid(""), grid(""), grid(["", ""])
    labels: list[str | None] = [None] * 7
    for i, day in enumerate(days):
        row, col = day.weekday(), column_of[mondays[i]]
        labels[row] = str(frame[weekday].iloc[i])
        value = frame[z].iloc[i]
        label = frame[mark].iloc[i] if mark else None
        label = label if isinstance(label, str) else ""
        shown = (f"{day.day}<br>{label}" if label else str(day.day)) if short else label
        extra = frame[note].iloc[i] if note else None
        custom[row][col] = [f"{day:%Y-%m-%d}", extra if isinstance(extra, str) else ""]
        if pd.isna(value):
            blank[row][col], off_text[row][col] = 0, shown
        else:
            rate[row][col], text[row][col] = float(value), shown
    rows = [r for r in range(7) if labels[r] is not None]
    x = [f"{week:%Y-%m-%d}" for week in weeks]
    y = [labels[r] for r in rows]

    def pick(cells):
        return [cells[r] for r in rows]

    fig = go.Figure()
    # Underneath: the days nobody was expected (weekends, holidays), grey, with their marks.
    fig.add_heatmap(x=x, y=y, z=pick(blank), text=pick(off_text), texttemplate="%{text}",
                    customdata=pick(custom), colorscale=[[0, "#eeeeee"], [1, "#eeeeee"]],
                    showscale=False, xgap=2, ygap=2, hoverongaps=False,
                    hovertemplate="%{customdata[0]} %{y}<br>%{customdata[1]}<extra></extra>")
    fig.add_heatmap(x=x, y=y, z=pick(rate), text=pick(text), texttemplate="%{text}",
                    customdata=pick(custom), colorscale="Blues", xgap=2, ygap=2, hoverongaps=False,
                    colorbar={"tickformat": TICK_FORMATS.get(columns[z].kind, "")},
                    hovertemplate=f"%{{customdata[0]}} %{{y}}<br>{columns[z].label} "
                                  f"%{{z:{HOVER_FORMATS.get(columns[z].kind, '')}}}<br>%{{customdata[1]}}"
                                  f"<extra></extra>")
    fig.update_layout(xaxis={"type": "date", "tickformat": "%m-%d", "showgrid": False},
                      yaxis={"type": "category", "autorange": "reversed", "showgrid": False},
                      height=max(HEIGHT - 60, 38 * len(rows) + 80))
    return _styled(fig, False)


def timeline(frame: pd.DataFrame, columns: Columns, *, x: str, y: str, label: str,
             title: Sequence[str] = ()) -> go.Figure:
    """One thing's story over time: y (a value) at each x date as a line, each point marked with
    its label field (what happened); the title fields' first values (which thing) on top."""
    fig = go.Figure()
    # Labels alternate above and below, so two events of one day stay readable; the line is dotted
    # as the value between two events is not drawn to scale (it falls month by month, then stops).
    fig.add_scatter(x=frame[x], y=frame[y], name=columns[y].label, mode="lines+markers+text",
                    text=frame[label].astype(str), customdata=frame[label],
                    textposition=["top center" if i % 2 == 0 else "bottom center" for i in range(len(frame))],
                    line={"color": COLORS[0], "dash": "dot"}, marker={"size": 9},
                    hovertemplate=f"{columns[x].label} %{{x|%Y-%m-%d}}<br>%{{customdata}}<br>"
                                  f"{columns[y].label} %{{y:{HOVER_FORMATS.get(columns[y].kind, '')}}}"
                                  f"<extra></extra>")
    days = pd.to_datetime(frame[x])
    axis: dict = {"type": "date"}
    if len(frame) and days.min() == days.max():  # one day: a month around it, not milliseconds
        axis["range"] = [days.min() - pd.Timedelta(days=15), days.max() + pd.Timedelta(days=15)]
    fig.update_layout(yaxis={"tickformat": TICK_FORMATS.get(columns[y].kind, ""), "rangemode": "tozero"},
                      xaxis=axis, showlegend=False)
    _styled(fig, False)
    heading = " ".join(str(frame[field].iloc[0]) for field in title) if len(frame) else ""
    if heading:
        fig.update_layout(title={"text": heading, "x": 0, "font": {"size": 13}},
                          margin={"l": 10, "r": 10, "t": 50, "b": 10})
    return fig
