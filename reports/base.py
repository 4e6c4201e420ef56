"""The renderer base class (after pretix's invoice renderer): page size, margins and fonts as
class attributes, named hooks for the story and the page decorations, rendering to bytes.

Subclasses implement `_get_story`; they may override `_get_stylesheet`, `_on_first_page`,
`_on_other_page` and `_on_page_numbers`. Headings whose style is listed in `toc_levels` go into
the table of contents and the PDF outline. Every page can show "Seite x von y": the canvas keeps
the pages until the end, when their number is known.

Bookmarks (the targets of the outline and of the table of contents' links) are therefore set
when the held-back pages are finally written, each on the page its heading was drawn on, at the
heading's height; set while laying out, they would all point to page 1 (reportlab numbers the
pages only as they are written). The creation date in the metadata is the renderer's
`created_at` (deterministic when given) rather than reportlab's invariant 01.01.2000.
"""

from contextvars import ContextVar
from datetime import UTC, datetime
from io import BytesIO

from controlling.reports import styles
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    NextPageTemplate,
    PageTemplate,
    Paragraph,
)
from reportlab.platypus.doctemplate import LayoutError

from controlling.domain.errors import DomainError

# Called with (layout pass, page) after every page laid out, when set: the command line shows
# it on a terminal (a quarterly report of thousands of pages takes minutes). reportlab lays a
# document with a table of contents out more than once, until the page numbers settle.
page_progress: ContextVar = ContextVar("page_progress", default=None)


class _DocTemplate(BaseDocTemplate):
    """Reports headings to the table of contents and the outline."""

    def __init__(self, *args, renderer, **kwargs):
        self.renderer = renderer
        self._keys: dict[str, int] = {}
        super().__init__(*args, **kwargs)

    def beforeDocument(self):
        self._keys = {}  # every build pass names its bookmarks the same way
        self._pass = getattr(self, "_pass", 0) + 1

    def afterPage(self):
        report = page_progress.get()
        if report is not None:
            report(self._pass, self.page)

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
        frame = getattr(self, "frame", None)
        top = None
        if frame is not None:  # the heading's top: what is left below it plus its own height
            top = frame._y + flowable.getSpaceAfter() + getattr(flowable, "height", 0) + 2
        self.canv.bookmarkPage(key, fit="XYZ", left=0, top=top)
        self.canv.addOutlineEntry(text, key, level=level, closed=level > 0)
        self.notify("TOCEntry", (level, text, self.page, key))


class ContinuedMark(Flowable):
    """A mark of no size for tables and lists that run over pages: from the page where it is
    drawn on, every page that begins starts with the flowables `make()` gives (a caption such
    as "Osterfeld (Fortsetzung)" and the column heads), until the next mark (`make` None: no
    more). Set when drawn, not when measured, so a heading moved to the next page does not
    carry the caption of what follows it. A start mark keeps with the next flowable."""

    def __init__(self, make=None):
        super().__init__()
        self.make = make
        self.keepWithNext = 1 if make else 0

    def wrap(self, available_width, available_height):
        return 0, 0

    def draw(self):
        doc = getattr(self.canv, "_doctemplate", None)
        if doc is not None:
            doc._topFlowables = list(self.make()) if self.make else []


class _NumberedCanvas(Canvas):
    """Holds back every page until the document is complete, then draws "Seite x von y"."""

    def __init__(self, *args, renderer=None, **kwargs):
        # DejaVu from the start: otherwise reportlab puts an unembedded Helvetica in every PDF
        kwargs["initialFontName"] = kwargs.get("initialFontName") or styles.FONT
        super().__init__(*args, **kwargs)
        self._renderer = renderer
        self._pages: list[dict] = []
        self._bookmarks: list[tuple[str, dict]] = []  # of the page being laid out
        if renderer is not None and renderer.created_at is not None:
            self._doc._timeStamp = _Stamp(renderer.created_at)

    def bookmarkPage(self, key, **kwargs):
        """Held back with the page (see the module's docstring)."""
        self._bookmarks.append((key, kwargs))

    def showPage(self):
        self._pages.append(dict(self.__dict__))
        self._bookmarks = []
        self._startPage()

    def save(self):
        total = len(self._pages)
        for number, state in enumerate(self._pages, start=1):
            self.__dict__.update(state)
            self._renderer._on_page_numbers(self, number, total)
            for key, kwargs in state["_bookmarks"]:
                Canvas.bookmarkPage(self, key, **kwargs)
            super().showPage()
        self._renderer.page_count = total
        super().save()


class _Stamp:
    """reportlab's TimeStamp for a given moment (UTC): the PDF's CreationDate and ModDate."""

    def __init__(self, moment: datetime):
        if moment.tzinfo is not None:
            moment = moment.astimezone(UTC).replace(tzinfo=None)
        self.t = moment.replace(tzinfo=UTC).timestamp()
        self.lt = moment.timetuple()
        self.YMDhms = tuple(self.lt)[:6]
        self.dhh = self.dmm = 0
        self.tzname = "UTC"


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
        self.created_at: datetime | None = None  # the PDF's creation date (UTC); None: 2000

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

        try:
            doc.multiBuild(story, canvasmaker=canvasmaker)
        except LayoutError as error:  # a flowable taller than a page: our fault, said in German
            raise DomainError(
                f"Das PDF „{self.title}“ lässt sich nicht setzen: ein Teil ist größer als eine "
                "Seite. Bitte den Bericht als JSON ausgeben (--format json) und den Fehler "
                "melden.") from error
        return buffer.getvalue()
