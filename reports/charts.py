"""Charts drawn with reportlab.graphics: vector graphics, fonts and colours of the stylesheet."""

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String

from reports import styles


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
