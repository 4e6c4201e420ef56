"""The one stylesheet of the reports: fonts, colours, named paragraph and table styles.

Layout code looks styles up by name (`sheet["Body"]`, `table_style("grid")`) and never tweaks
them inline. The font is DejaVu Sans (shipped in reports/fonts, Bitstream Vera licence): it
has every German letter, typographic quotes, arrows and the letters of most European names.
"""

from pathlib import Path

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.styles import ParagraphStyle, StyleSheet1
from reportlab.lib.units import mm
from reportlab.platypus import TableStyle

FONT = "DejaVuSans"
FONT_BOLD = "DejaVuSans-Bold"
FONTS_DIR = Path(__file__).resolve().parent / "fonts"

# colours ------------------------------------------------------------------------------------
INK = colors.HexColor("#1A1A1A")
MUTED = colors.HexColor("#5F6368")
ACCENT = colors.HexColor("#1F4E79")  # headings, current quarter
ACCENT_LIGHT = colors.HexColor("#9DC3E6")  # previous quarter
RULE = colors.HexColor("#B7C4D1")
HEAD_BG = colors.HexColor("#E4ECF4")
ZEBRA = colors.HexColor("#F5F8FB")
NOTICE_BG = colors.HexColor("#FFF4D6")
NOTICE_BORDER = colors.HexColor("#E0B84C")

# The lights differ in lightness too (greyscale: green 122, yellow 180, red 74), so bars and
# cells stay apart in black-and-white print; every light also carries its word.
LIGHT_COLOURS = {  # bars and marks
    "green": colors.HexColor("#43A047"),
    "yellow": colors.HexColor("#F2B705"),
    "red": colors.HexColor("#B71C1C"),
    "none": colors.HexColor("#BDBDBD"),
}
LIGHT_FILLS = {  # table cells: red the darkest, "ohne" white with a frame (contrast >= 7:1)
    "green": colors.HexColor("#C8E6C9"),
    "yellow": colors.HexColor("#FFE082"),
    "red": colors.HexColor("#B71C1C"),
    "none": colors.white,
}
LIGHT_CELL_STYLES = {  # paragraph style of a table cell filled with the light's colour
    "green": "LightCellGreen",
    "yellow": "LightCell",
    "red": "LightCellOnDark",
    "none": "LightCell",
}
DRAFT = colors.HexColor("#B71C1C")  # "Entwurf" in headers and footers
CHANGED_BG = colors.HexColor("#FFE9A8")  # a figure that differs from the published report


def register_fonts() -> None:
    """Register DejaVu Sans (regular, bold) once per process."""
    from reportlab import rl_config
    from reportlab.lib.fonts import addMapping
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    # the charts' default font: otherwise every PDF names an unembedded Helvetica
    rl_config.defaultGraphicsFontName = FONT
    if FONT in pdfmetrics.getRegisteredFontNames():
        return
    pdfmetrics.registerFont(TTFont(FONT, str(FONTS_DIR / "DejaVuSans.ttf")))
    pdfmetrics.registerFont(TTFont(FONT_BOLD, str(FONTS_DIR / "DejaVuSans-Bold.ttf")))
    addMapping(FONT, 0, 0, FONT)
    addMapping(FONT, 1, 0, FONT_BOLD)
    addMapping(FONT, 0, 1, FONT)
    addMapping(FONT, 1, 1, FONT_BOLD)


def stylesheet() -> StyleSheet1:
    sheet = StyleSheet1()
    base = ParagraphStyle("Base", fontName=FONT, fontSize=9.5, leading=13, textColor=INK,
                          splitLongWords=1)

    def add(name, parent=base, **kwargs):
        sheet.add(ParagraphStyle(name, parent=parent, **kwargs))

    add("Body", spaceAfter=6)
    add("BodyBold", fontName=FONT_BOLD, spaceAfter=6)
    add("Small", fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=4)
    add("Lead", parent=sheet["Small"], keepWithNext=1)  # the line between heading and table
    add("Notice", fontSize=9.5, leading=13, backColor=NOTICE_BG, borderColor=NOTICE_BORDER,
        borderWidth=0.6, borderPadding=(5, 6, 5, 6), leftIndent=6, rightIndent=6,
        spaceBefore=10, spaceAfter=14)

    # title page
    add("Kicker", fontSize=11, leading=14, textColor=MUTED, spaceAfter=10)
    add("TitleMain", fontName=FONT_BOLD, fontSize=26, leading=32, textColor=ACCENT,
        spaceAfter=14)
    add("TitleQuarter", fontName=FONT_BOLD, fontSize=18, leading=23, spaceAfter=6)
    add("TitleAsOf", fontSize=12, leading=16, textColor=MUTED, spaceAfter=36)
    add("TitleLabel", fontName=FONT_BOLD, fontSize=9, leading=12, textColor=MUTED)
    add("TitleMeta", fontSize=10.5, leading=14, spaceAfter=12)

    # headings (Heading1 and Heading2 go into the table of contents)
    add("Heading1", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=ACCENT,
        spaceBefore=4, spaceAfter=10, keepWithNext=1)
    add("Heading2", fontName=FONT_BOLD, fontSize=12.5, leading=16, textColor=ACCENT,
        spaceBefore=14, spaceAfter=6, keepWithNext=1)
    add("Heading3", fontName=FONT_BOLD, fontSize=10.5, leading=14, spaceBefore=10,
        spaceAfter=4, keepWithNext=1)
    add("ContentsTitle", fontName=FONT_BOLD, fontSize=16, leading=20, textColor=ACCENT,
        spaceAfter=12)
    add("TOC1", fontName=FONT_BOLD, fontSize=10.5, leading=15, spaceBefore=5)
    add("TOC2", fontSize=9.5, leading=13, leftIndent=8 * mm)

    # tables
    add("Cell", fontSize=8.5, leading=11, alignment=TA_LEFT)
    add("CellBold", parent=sheet["Cell"], fontName=FONT_BOLD)
    add("CellHead", parent=sheet["Cell"], fontName=FONT_BOLD, textColor=ACCENT)
    add("CellHeadRight", parent=sheet["CellHead"], alignment=TA_RIGHT)
    add("CellRight", parent=sheet["Cell"], alignment=TA_RIGHT)
    add("CellRightBold", parent=sheet["CellRight"], fontName=FONT_BOLD)
    add("RecordNote", parent=sheet["Cell"], leftIndent=12 * mm + 4, rightIndent=4,
        spaceBefore=0, spaceAfter=4)  # under a record's title, aligned with it
    add("CellMuted", parent=sheet["Cell"], textColor=MUTED)
    add("Continued", fontName=FONT_BOLD, fontSize=8.5, leading=11, textColor=MUTED,
        spaceAfter=3)  # "Osterfeld (Fortsetzung)" above a table continued on a new page
    add("LightCell", parent=sheet["Cell"], fontName=FONT_BOLD, alignment=TA_CENTER)
    add("LightCellOnDark", parent=sheet["LightCell"], textColor=colors.white)
    add("LightCellGreen", parent=sheet["LightCell"], textColor=colors.HexColor("#1B5E20"))

    # the first page: what needs attention, at a glance
    add("CoverTitle", fontName=FONT_BOLD, fontSize=20, leading=24, textColor=ACCENT,
        spaceAfter=4)
    add("CoverQuarter", fontName=FONT_BOLD, fontSize=13, leading=17, spaceAfter=2)
    add("CoverMeta", fontSize=8, leading=10.5, textColor=MUTED, spaceAfter=2)
    add("State", fontName=FONT_BOLD, fontSize=9, leading=12, borderColor=ACCENT,
        borderWidth=0.8, borderPadding=(4, 6, 4, 6), leftIndent=6, rightIndent=6,
        spaceBefore=8, spaceAfter=10)
    add("StateDraft", parent=sheet["State"], textColor=DRAFT, borderColor=DRAFT)
    add("GlanceTitle", fontName=FONT_BOLD, fontSize=14, leading=18, textColor=ACCENT,
        spaceBefore=2, spaceAfter=4, keepWithNext=1)
    add("GlanceHead", fontName=FONT_BOLD, fontSize=10, leading=13, spaceBefore=7,
        spaceAfter=3, keepWithNext=1)
    add("GlanceNone", fontSize=8.5, leading=11, textColor=MUTED, spaceAfter=2)
    add("CellSmall", parent=sheet["Cell"], fontSize=7.5, leading=9)
    add("CellSmallBold", parent=sheet["CellSmall"], fontName=FONT_BOLD)

    # page decorations
    add("Header", fontSize=7.5, leading=9, textColor=MUTED)
    add("Footer", fontSize=7.5, leading=9, textColor=MUTED)
    return sheet


def table_style(name: str, **options) -> TableStyle:
    """Named table styles. Options: header rows `head` (default 1), `zebra` (default True)."""
    head = options.get("head", 1)
    commands = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),  # else reportlab names Helvetica (not embedded)
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if head:
        commands += [
            ("BACKGROUND", (0, 0), (-1, head - 1), HEAD_BG),
            ("LINEBELOW", (0, head - 1), (-1, head - 1), 0.8, ACCENT),
        ]
    if name == "grid":  # figures: thin rules between rows
        commands += [("LINEBELOW", (0, head), (-1, -1), 0.25, RULE)]
    elif name == "figures":  # a figure table with a bold total row at the bottom
        commands += [
            ("LINEBELOW", (0, head), (-1, -2), 0.25, RULE),
            ("LINEABOVE", (0, -1), (-1, -1), 0.8, ACCENT),
            ("BACKGROUND", (0, -1), (-1, -1), ZEBRA),
        ]
    elif name == "compact":  # the lists of page 1: thin rules, little padding
        commands += [("LINEBELOW", (0, head), (-1, -1), 0.25, RULE),
                     ("TOPPADDING", (0, 0), (-1, -1), 1.5),
                     ("BOTTOMPADDING", (0, 0), (-1, -1), 1.5)]
    elif name == "records-head":  # the column heads above a list of records
        commands += [("BACKGROUND", (0, 0), (-1, -1), HEAD_BG),
                     ("LINEBELOW", (0, 0), (-1, -1), 0.8, ACCENT)]
    elif name == "records-row":  # the facts of one record; its text follows as a paragraph
        pass
    elif name == "plain":  # layout only: side by side, no rules, no padding
        commands = [("FONTNAME", (0, 0), (-1, -1), FONT),
                    ("VALIGN", (0, 0), (-1, -1), "TOP"),
                    ("LEFTPADDING", (0, 0), (-1, -1), 0),
                    ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                    ("TOPPADDING", (0, 0), (-1, -1), 0),
                    ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
    else:
        raise KeyError(name)
    return TableStyle(commands)


# ---- additions for the strategy paper and the city report --------------------------
STATUS_COLOURS = {  # bars of the recommendations per status
    "proposed": colors.HexColor("#C9D6E3"),
    "statistically_supported": colors.HexColor("#9DC3E6"),
    "approved": colors.HexColor("#1F4E79"),
    "implemented": colors.HexColor("#2E7D32"),
    "rejected": colors.HexColor("#9E9E9E"),
    "superseded": colors.HexColor("#D9C7A7"),
}
KNOWN_COLOURS = {"yes": LIGHT_COLOURS["green"], "no": LIGHT_COLOURS["red"]}  # the dots


def paper_stylesheet() -> StyleSheet1:
    """The stylesheet of the reports plus the few styles the strategy paper and the city
    report add (the quarterly report's own stylesheet stays as it is)."""
    sheet = stylesheet()
    base = sheet["Body"]
    sheet.add(ParagraphStyle("ListItem", parent=base, leftIndent=5 * mm, bulletIndent=1 * mm,
                             bulletFontName=FONT, spaceAfter=2))
    sheet.add(ParagraphStyle("Assessment", parent=base, fontName=FONT_BOLD, spaceAfter=4,
                             keepWithNext=1))
    sheet.add(ParagraphStyle("Question", parent=base, textColor=ACCENT, spaceBefore=2,
                             spaceAfter=2, keepWithNext=1))
    sheet.add(ParagraphStyle("LightCellOlder", parent=sheet["Cell"], textColor=MUTED,
                             alignment=TA_CENTER, fontSize=7.5, leading=9.5))
    return sheet
