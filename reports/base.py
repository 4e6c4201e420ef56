"""The renderer base class (after pretix's invoice renderer): page size, margins and fonts as
class attributes, named hooks for the story and the page decorations, rendering to bytes.

Subclasses implement `_get_story`; they may override `_get_stylesheet`, `_on_first_page`,
`_on_other_page` and `_on_page_numbers`. Headings whose style is listed in `toc_levels` go into
the table of contents and the PDF outline. Every page can show "Seite x von y": the canvas keeps
the pages until the end, when their number is known.
"""

from io import BytesIO

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, NextPageTemplate, PageTemplate, Paragraph

from reports import styles


class _DocTemplate(BaseDocTemplate):
    """Reports headings to the table of contents and the outline."""

    def __init__(self, *args, renderer, **kwargs):
        self.renderer = renderer
        self._keys: dict[str, int] = {}
        super().__init__(*args, **kwargs)

    def beforeDocument(self):
        self._keys = {}  # every build pass names its bookmarks the same way

    def _bookmark(self, level: int, text: str) -> str:
        base = f"h{level}-" + "".join(c if c.isascii() and c.isalnum() else "-" for c in text)[:40]
        self._keys[base] = self._keys.get(base, 0) + 1
        return f"{base}-{self._keys[base]}"

    def afterFlowable(self, flowable):
        if not isinstance(flowable, Paragraph):
            return
        level = self.renderer.toc_levels.get(flowable.style.name)
        if level is None:
            return
        text = flowable.getPlainText()
        key = self._bookmark(level, text)
        self.canv.bookmarkPage(key)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, text, self.page, key))


class _NumberedCanvas(Canvas):
    """Holds back every page until the document is complete, then draws "Seite x von y"."""

    def __init__(self, *args, renderer=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._renderer = renderer
        self._pages: list[dict] = []

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._renderer._on_page_numbers(self, number, total)
            super().showPage()
        self._renderer.page_count = total
        super().save()


class Renderer:
    """Lay out plain data as a PDF. Subclasses give the story; this class gives the pages."""

    pagesize = A4
    left_margin = 20 * mm
    right_margin = 20 * mm
    top_margin = 24 * mm
    bottom_margin = 20 * mm
    font = styles.FONT
    font_bold = styles.FONT_BOLD
    toc_levels = {"Heading1": 0, "Heading2": 1}

    # metadata of the PDF file
    title = ""
    author = ""
    subject = ""

    def __init__(self):
        self.page_count = 0
        self.stylesheet = None

    # hooks --------------------------------------------------------------------------------------
    def _get_stylesheet(self):
        return styles.stylesheet()

    def _get_story(self, doc) -> list:
        raise NotImplementedError

    def _on_first_page(self, canvas, doc) -> None:
        """Decorations of the first page (drawn while the page is laid out)."""

    def _on_other_page(self, canvas, doc) -> None:
        """Decorations of every further page (drawn while the page is laid out)."""

    def _on_page_numbers(self, canvas, page: int, total: int) -> None:
        """Drawn on every page once the number of pages is known."""

    # machinery ----------------------------------------------------------------------------------
    @property
    def frame_width(self) -> float:
        return self.pagesize[0] - self.left_margin - self.right_margin

    def _get_page_templates(self, doc) -> list[PageTemplate]:
        frame = Frame(doc.leftMargin, doc.bottomMargin, doc.width, doc.height,
                      leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0, id="body")
        return [
            PageTemplate(id="first", frames=[frame], onPage=self._on_first_page),
            PageTemplate(id="other", frames=[frame], onPage=self._on_other_page),
        ]

    def render(self) -> bytes:
        """The PDF as bytes; the same data gives the same bytes (reportlab's invariant mode)."""
        styles.register_fonts()
        self.stylesheet = self._get_stylesheet()
        buffer = BytesIO()
        doc = _DocTemplate(
            buffer, renderer=self, pagesize=self.pagesize, leftMargin=self.left_margin,
            rightMargin=self.right_margin, topMargin=self.top_margin,
            bottomMargin=self.bottom_margin, title=self.title, author=self.author,
            subject=self.subject, creator="controlling", producer="controlling (reportlab)",
            lang="de-DE", invariant=1,
        )
        doc.addPageTemplates(self._get_page_templates(doc))
        story = [NextPageTemplate("other"), *self._get_story(doc)]

        def canvasmaker(*args, **kwargs):
            return _NumberedCanvas(*args, renderer=self, **kwargs)

        doc.multiBuild(story, canvasmaker=canvasmaker)
        return buffer.getvalue()
