"""Charts drawn with reportlab.graphics: vector graphics, fonts and colours of the stylesheet."""

import math

from controlling.reports import styles
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String


def _nice_max(value: int) -> tuple[int, int]:
    """An axis maximum above `value` and a whole-number step giving at most about 6 ticks."""
    top = max(1, value)
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if top / step <= 6:
            break
    maximum = ((top + step - 1) // step) * step
    if maximum == value:
        maximum += step  # room for the label above the highest bar
    return maximum, step


def _axis_fonts(chart) -> None:
    for axis in (chart.valueAxis, chart.categoryAxis):
        axis.labels.fontName = styles.FONT
        axis.labels.fontSize = 7.5
        axis.labels.fillColor = styles.INK
        axis.strokeColor = styles.RULE
    chart.valueAxis.gridStrokeColor = styles.RULE
    chart.valueAxis.gridStrokeWidth = 0.25
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.labelTextFormat = "%d"
    chart.barLabels.fontName = styles.FONT
    chart.barLabels.fontSize = 7.5
    chart.barLabels.fillColor = styles.INK
    chart.barLabelFormat = "%d"


def status_chart(labels: list[str], current: list[int], previous: list[int],
                 current_name: str, previous_name: str, width: float,
                 height: float = 190) -> Drawing:
    """Grouped bars: recommendations per status, previous quarter beside this quarter."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 32, 42
    chart.width, chart.height = width - 44, height - 70
    chart.data = [list(previous), list(current)]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.labels.boxAnchor = "n"
    chart.categoryAxis.labels.dy = -4
    maximum, step = _nice_max(max([*current, *previous, 0]))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, maximum
    chart.valueAxis.valueStep = step
    chart.barSpacing = 2
    chart.groupSpacing = 14
    chart.bars[0].fillColor = styles.ACCENT_LIGHT
    chart.bars[1].fillColor = styles.ACCENT
    chart.bars.strokeColor = None
    _axis_fonts(chart)
    chart.barLabels.nudge = 6
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = chart.x, height - 8
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 150
    legend.fontName, legend.fontSize = styles.FONT, 7.5
    legend.colorNamePairs = [(styles.ACCENT_LIGHT, previous_name), (styles.ACCENT, current_name)]
    legend.dxTextSpace = 4
    legend.boxAnchor = "nw"
    drawing.add(legend)
    return drawing


def lights_chart(labels: list[str], keys: list[str], counts: list[int], width: float,
                 height: float = 120) -> Drawing:
    """Horizontal bars, one per traffic light, in the light's colour."""
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 92, 30
    chart.width, chart.height = width - 120, height - 36
    chart.data = [list(counts)]
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    maximum, step = _nice_max(max([*counts, 0]))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, maximum
    chart.valueAxis.valueStep = step
    chart.bars.strokeColor = None
    for index, key in enumerate(keys):
        chart.bars[(0, index)].fillColor = styles.LIGHT_COLOURS[key]
    _axis_fonts(chart)
    chart.barLabels.nudge = 8
    chart.barLabels.boxAnchor = "w"
    drawing.add(chart)
    return drawing


def caption(drawing: Drawing, text: str) -> Drawing:
    """A small caption under a chart (part of the drawing, so they stay together)."""
    drawing.add(String(0, 2, text, fontName=styles.FONT, fontSize=7, fillColor=styles.MUTED))
    return drawing


# ---- charts of the strategy paper and the city report ------------------------------
def _legend(drawing: Drawing, x: float, y: float, pairs: list) -> None:
    """One row of swatches, each column as wide as its text."""
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.variColumn = 1
    legend.autoXPadding = 14
    legend.fontName, legend.fontSize = styles.FONT, 7.5
    legend.colorNamePairs = pairs
    legend.dxTextSpace = 4
    legend.boxAnchor = "nw"
    drawing.add(legend)


def _value_range(values: list[float]) -> tuple[float, float]:
    """An axis from 0 (or below the lowest negative value) to above the highest value."""
    low, high = min([0.0, *values]), max([0.0, *values])
    if high == low:
        high = low + 1
    return low, high + (high - low) * 0.08


def indicator_chart(years: list[int], series: list[tuple[str, list[float | None]]],
                    width: float, number, height: float = 150) -> Drawing:
    """Lines over the years, one per series (the district in the accent colour, the city in
    the light one); missing values are left out. `number` formats the value axis."""
    from reportlab.graphics.charts.lineplots import LinePlot
    from reportlab.graphics.widgets.markers import makeMarker

    drawing = Drawing(width, height)
    plot = LinePlot()
    plot.x, plot.y = 44, 30
    plot.width, plot.height = width - 64, height - 52
    plot.data = [[(year, value) for year, value in zip(years, values, strict=True)
                  if value is not None] or [(years[0], 0)] for _, values in series]
    colours = [styles.ACCENT, styles.ACCENT_LIGHT]
    markers = ["FilledCircle", "FilledSquare"]
    for index, (_, values) in enumerate(series):
        plot.lines[index].strokeColor = colours[index % 2]
        plot.lines[index].strokeWidth = 1.6
        plot.lines[index].symbol = makeMarker(markers[index % 2], size=4.5,
                                              fillColor=colours[index % 2],
                                              strokeColor=colours[index % 2])
        if all(value is None for value in values):
            plot.lines[index].strokeColor = None
            plot.lines[index].symbol = None
    low, high = _value_range([v for _, values in series for v in values if v is not None])
    plot.yValueAxis.valueMin, plot.yValueAxis.valueMax = low, high
    plot.yValueAxis.labelTextFormat = number
    plot.xValueAxis.valueMin = years[0] - 0.5
    plot.xValueAxis.valueMax = years[-1] + 0.5
    plot.xValueAxis.valueSteps = list(years)
    plot.xValueAxis.labelTextFormat = "%d"
    for axis in (plot.xValueAxis, plot.yValueAxis):
        axis.labels.fontName = styles.FONT
        axis.labels.fontSize = 7.5
        axis.labels.fillColor = styles.INK
        axis.strokeColor = styles.RULE
    plot.yValueAxis.visibleGrid = 1
    plot.yValueAxis.gridStrokeColor = styles.RULE
    plot.yValueAxis.gridStrokeWidth = 0.25
    drawing.add(plot)
    _legend(drawing, plot.x, height - 6, [(colours[i % 2], name)
                                          for i, (name, _) in enumerate(series)])
    return drawing


BARS_PER_CHART = 30  # one chart fits a page; a longer list is drawn as several on one scale


def parts(count: int, size: int = BARS_PER_CHART) -> list[slice]:
    """The slices of a list of `count` bars, at most `size` each (at least one slice)."""
    return [slice(start, start + size) for start in range(0, max(count, 1), size)]


def part_captions(drawings: list[Drawing], text: str) -> list[Drawing]:
    """Each chart with its caption, "(Teil 2 von 3)" added where a list took several."""
    if len(drawings) == 1:
        return [caption(drawings[0], text)]
    return [caption(drawing, f"{text} (Teil {number} von {len(drawings)})")
            for number, drawing in enumerate(drawings, start=1)]


def stacked_bar_charts(categories: list[str], series: list[tuple[str, object, list[int]]],
                       width: float, **options) -> list[Drawing]:
    """`stacked_bars` in parts of at most BARS_PER_CHART categories, all on one scale, so a
    city of many Sozialräume still fits its pages."""
    totals = [sum(values[i] for _, _, values in series) for i in range(len(categories))]
    top = max([*totals, 0])
    return [stacked_bars(categories[part], [(name, colour, values[part])
                                            for name, colour, values in series],
                         width, top=top, **options)
            for part in parts(len(categories))]


def ranking_charts(labels: list[str], values: list[float], reference: int | None,
                   width: float, number, axis_number) -> list[Drawing]:
    """`ranking_chart` in parts of at most BARS_PER_CHART bars, all on one scale."""
    scale = _value_range(list(values))
    drawings = []
    for part in parts(len(labels)):
        start = part.start
        inside = reference is not None and start <= reference < start + BARS_PER_CHART
        drawings.append(ranking_chart(labels[part], values[part],
                                      reference - start if inside else None, width, number,
                                      axis_number, scale=scale))
    return drawings


def stacked_bars(categories: list[str], series: list[tuple[str, object, list[int]]],
                 width: float, bar_height: float = 16, label_width: float = 92,
                 top: int | None = None) -> Drawing:
    """Horizontal stacked bars, one per category, each series in its colour, with a legend:
    recommendations per status and district, traffic lights per district, dots per offer.
    `top`: the largest total of the whole list (when this chart is one part of it)."""
    count = max(1, len(categories))
    height = count * bar_height + 52
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = label_width, 22
    chart.width, chart.height = width - label_width - 14, count * bar_height
    chart.data = [list(values) for _, _, values in series]
    chart.categoryAxis.categoryNames = list(categories)
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    chart.categoryAxis.style = "stacked"
    totals = [sum(values[i] for _, _, values in series) for i in range(len(categories))]
    maximum, step = _nice_max(max([*totals, 0]) if top is None else top)
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = 0, maximum
    chart.valueAxis.valueStep = step
    chart.bars.strokeColor = styles.HEAD_BG
    chart.bars.strokeWidth = 0.5
    chart.barWidth = bar_height * 0.7
    for index, (_, colour, _) in enumerate(series):
        chart.bars[index].fillColor = colour
    _axis_fonts(chart)
    chart.barLabelFormat = None
    drawing.add(chart)
    _legend(drawing, 0, height - 6, [(colour, name) for name, colour, _ in series])
    return drawing


def ranking_chart(labels: list[str], values: list[float], reference: int | None,
                  width: float, number, axis_number, bar_height: float = 15,
                  scale: tuple[float, float] | None = None) -> Drawing:
    """Horizontal bars in the given order (worst first); the bar at index `reference` (the
    city's value) in the light colour. `number` formats the bar labels, `axis_number` the
    value axis; `scale` the axis range of the whole list (when this chart is one part)."""
    count = max(1, len(labels))
    height = count * bar_height + 30
    drawing = Drawing(width, height)
    chart = HorizontalBarChart()
    chart.x, chart.y = 92, 22
    chart.width, chart.height = width - 140, count * bar_height
    chart.data = [list(values)]
    chart.categoryAxis.categoryNames = list(labels)
    chart.categoryAxis.reverseDirection = 1
    chart.categoryAxis.labels.boxAnchor = "e"
    chart.categoryAxis.labels.dx = -4
    low, high = scale or _value_range(list(values))
    chart.valueAxis.valueMin, chart.valueAxis.valueMax = low, high
    chart.bars.strokeColor = None
    chart.barWidth = bar_height * 0.7
    chart.bars[0].fillColor = styles.ACCENT
    if reference is not None:
        chart.bars[(0, reference)].fillColor = styles.ACCENT_LIGHT
    _axis_fonts(chart)
    chart.valueAxis.labelTextFormat = axis_number
    chart.barLabelFormat = number
    chart.barLabels.nudge = 6
    chart.barLabels.boxAnchor = "w"
    drawing.add(chart)
    return drawing


# ---- the Sozialindex of the Sozialquartiere -----------------------------------------
INDEX_BARS_PER_CHART = 30  # a longer list is drawn as several charts on one scale


def index_scale(values: list[float]) -> tuple[float, float, float]:
    """Axis minimum, maximum and step around 0 for index values (z-units): whole or half
    steps, at least −1 to +1."""
    low, high = min([-1.0, *values]), max([1.0, *values])
    step = 0.5 if high - low <= 4 else 1.0
    return (step * math.floor(low / step), step * math.ceil(high / step), step)


def index_bars(labels: list[str], values: list[float], notes: list[str], width: float,
               scale: tuple[float, float, float], axis_number, bar_height: float = 13,
               label_width: float | None = None) -> Drawing:
    """Ranked horizontal bars from a zero line (the city's mean), one per area in the given
    order, with the value and its class written at the right (`notes`), so the chart reads in
    black and white: the bars in one dark fill with a black outline, the figures as text.
    `scale` (index_scale) is shared by the charts of one list."""
    from reportlab.graphics.shapes import Line, Rect
    from reportlab.pdfbase.pdfmetrics import stringWidth

    size = 7.5
    note_width = max([stringWidth(n, styles.FONT, size) for n in notes] + [40]) + 8
    if label_width is None:
        label_width = min(max([stringWidth(t, styles.FONT, size) for t in labels] + [40]) + 8,
                          width * 0.4)
    count = max(1, len(labels))
    top_pad, bottom_pad = 6, 22
    height = count * bar_height + top_pad + bottom_pad
    drawing = Drawing(width, height)
    low, high, step = scale
    x0, x1 = label_width, width - note_width
    span = (high - low) or 1.0

    def x_of(value: float) -> float:
        return x0 + (value - low) / span * (x1 - x0)

    bottom = bottom_pad
    tick = low
    while tick <= high + 1e-9:
        x = x_of(tick)
        drawing.add(Line(x, bottom, x, height - top_pad, strokeColor=styles.RULE,
                         strokeWidth=0.25))
        drawing.add(String(x, bottom - 9, axis_number(tick), fontName=styles.FONT,
                           fontSize=size, fillColor=styles.INK, textAnchor="middle"))
        tick += step
    zero = x_of(0.0)
    room = label_width - 8
    for row, (label, value, note) in enumerate(zip(labels, values, notes, strict=True)):
        y = height - top_pad - (row + 1) * bar_height
        middle = y + bar_height / 2 - size / 3
        while len(label) > 2 and stringWidth(label, styles.FONT, size) > room:
            label = label[:-2].rstrip() + "…"  # a long name shortened, the table has it whole
        drawing.add(String(x0 - 4, middle, label, fontName=styles.FONT, fontSize=size,
                           fillColor=styles.INK, textAnchor="end"))
        end = x_of(value)
        drawing.add(Rect(min(zero, end), y + bar_height * 0.15, abs(end - zero),
                         bar_height * 0.7, fillColor=styles.ACCENT, strokeColor=styles.INK,
                         strokeWidth=0.4))
        drawing.add(String(x1 + 6, middle, note, fontName=styles.FONT, fontSize=size,
                           fillColor=styles.INK))
    drawing.add(Line(zero, bottom, zero, height - top_pad, strokeColor=styles.INK,
                     strokeWidth=0.8))
    return drawing
