"""Published quarterly reports: published once, as the committee received them,
and never changed.

- `publish_quarterly` builds the report of a completed quarter as known now, renders its PDF
  and stores both (figures as JSON, PDF bytes, the SHA-256 of each, who, when). A second
  publication of the same quarter and a running quarter are refused.
- `quarterly_document` is what `report quarterly`, the web pages and the API give: the stored
  publication when there is one, otherwise the report built as known now (a draft); with
  `known_at` always a report built as known at that moment (marking what differs from the
  published figures).
- `require_correction` is the rule for changes after a publication: a change that would alter
  a published report (a status change effective on or before the last day of a published
  quarter, a Sachstand for a published quarter) needs a reason, kept in the change's `source`
  ("Nachtrag: …"); the next report lists it under "Nachträge zu früheren Berichten".
"""

import hashlib
import json
from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from controlling.data.models import PublishedReport
from controlling.domain.actors import require
from controlling.domain.dates import Quarter
from controlling.domain.errors import Conflict, InvalidInput
from controlling.domain.formatting import format_date, format_datetime
from controlling.services.common import actor_of, iso_utc, now, today
from controlling.services.quarterly import (
    CORRECTION_PREFIX,
    KIND,
    PublicationRow,
    QuarterlyReport,
    build_report,
    parse_quarter,
)

CORRECTION_LIMIT = 250  # characters of a correction's reason (`source` holds 300)
_CACHE = "published_quarters"  # session.info key: period -> known_at of the publications


def canonical_json(data: dict) -> bytes:
    """The bytes whose SHA-256 is `data_sha256`: sorted keys, no spaces, UTF-8."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


@dataclass(frozen=True)
class QuarterlyDocument:
    """The quarterly report as given to a reader: `data` is the JSON; `pdf` the stored bytes of
    a publication (None for a built report: render `report`)."""

    quarter: Quarter
    data: dict
    report: QuarterlyReport | None
    pdf: bytes | None
    publication: dict | None  # {quarter, known_at, published_at, actor, pdf_sha256, ...}

    @property
    def published(self) -> bool:
        return self.pdf is not None


def _publication_view(row: PublishedReport) -> dict:
    return {"quarter": row.period, "known_at": iso_utc(row.known_at),
            "published_at": iso_utc(row.published_at), "actor": row.actor.login,
            "data_sha256": row.data_sha256, "pdf_sha256": row.pdf_sha256,
            "pdf_bytes": len(row.pdf)}


def _stored(session, quarter: Quarter) -> PublishedReport | None:
    return session.scalar(select(PublishedReport).where(
        PublishedReport.kind == KIND, PublishedReport.period == str(quarter)))


def quarterly_document(uow, login: str, quarter, *, known_at: datetime | None = None
                       ) -> QuarterlyDocument:
    """The published report of `quarter` exactly as stored; a report built as known now when
    the quarter is not published; with `known_at`, always built as known at that moment."""
    parsed = parse_quarter(quarter)
    with uow:
        actor_of(uow, login)
        if known_at is None:
            row = _stored(uow.session, parsed)
            if row is not None:
                return QuarterlyDocument(parsed, row.data, None, row.pdf, _publication_view(row))
        report = build_report(uow.session, parsed, known_at)
        return QuarterlyDocument(parsed, report.to_dict(), report, None,
                                 report.publication.to_dict() if report.publication else None)


def publish_quarterly(uow, login: str, quarter, *, publisher: str | None = None) -> dict:
    """Build the report of a completed quarter as known now, render it and store it for good."""
    parsed = parse_quarter(quarter)
    with uow:
        actor = actor_of(uow, login)
        require(actor, "report.publish")
        day = today()
        if day <= parsed.end:
            raise InvalidInput(
                f"Das {parsed.label} läuft noch (bis {format_date(parsed.end)}); veröffentlicht "
                "werden kann sein Bericht erst nach dem Quartalsende, wenn die Sachstände da "
                "sind.")
        existing = _stored(uow.session, parsed)
        if existing is not None:
            raise Conflict(_already(parsed, existing.published_at, existing.actor.login))
        moment = now()
        user = uow.repo.user(login)
        report = build_report(uow.session, parsed, moment)
        report = replace(report, state="published", differences=(), publication=PublicationRow(
            quarter=str(parsed), known_at=moment, published_at=moment, actor=user.login))
        from controlling.reports.quarterly import render_quarterly_pdf

        pdf, pages = render_quarterly_pdf(report, made_on=day, publisher=publisher,
                                          created_at=moment)
        data = report.to_dict()
        row = PublishedReport(kind=KIND, period=str(parsed), known_at=moment,
                              published_at=moment, actor_id=user.id, data=data,
                              data_sha256=sha256(canonical_json(data)), pdf=pdf,
                              pdf_sha256=sha256(pdf))
        uow.session.add(row)
        try:
            uow.flush()
            uow.commit()
        except IntegrityError:  # someone published the same quarter a moment ago
            uow.rollback()
            raise Conflict(_already(parsed, None, None)) from None
        uow.session.info.pop(_CACHE, None)
        return {"quarter": str(parsed), "known_at": iso_utc(moment),
                "published_at": iso_utc(moment), "actor": user.login, "pages": pages,
                "data_sha256": row.data_sha256, "pdf_sha256": row.pdf_sha256,
                "pdf_bytes": len(pdf), "corrections": len(report.corrections), "pdf": pdf}


def _already(quarter: Quarter, published_at: datetime | None, actor: str | None) -> str:
    when = (f" (am {format_datetime(published_at)} UTC durch {actor})"
            if published_at is not None else "")
    return (f"Der Bericht für das {quarter.label} ist bereits veröffentlicht{when} und wird nicht "
            "ersetzt. Neu berechnen (ohne ihn zu ändern): controlling report quarterly "
            f"--quarter {quarter} --as-known now; spätere Änderungen erscheinen als Nachträge "
            "im nächsten Bericht.")


def published_reports(uow, login: str) -> list[dict]:
    """The published quarterly reports, oldest first (metadata only)."""
    with uow:
        actor_of(uow, login)
        rows = uow.session.scalars(select(PublishedReport).where(PublishedReport.kind == KIND)
                                   .order_by(PublishedReport.period))
        return [_publication_view(row) for row in rows]


# ---- changes after a publication -------------------------------------------------------------
def published_quarters(session) -> dict[str, datetime]:
    """period -> known_at of every published quarterly report (one statement per session)."""
    if _CACHE not in session.info:
        session.info[_CACHE] = dict(session.execute(
            select(PublishedReport.period, PublishedReport.known_at)
            .where(PublishedReport.kind == KIND)).all())
    return session.info[_CACHE]


def require_correction(session, number: int, *, effective_on: date | None = None,
                       quarter: str | None = None, correction: str | None = None,
                       source: str | None = None) -> str | None:
    """The `source` to store with a change. A change that alters a published report (a status
    change effective on or before the last day of a published quarter; a Sachstand for a
    published quarter) is refused without a reason (`correction`); with one, the source says
    "Nachtrag: REASON" (followed by the source it had)."""
    reason = " ".join((correction or "").split())
    if len(reason) > CORRECTION_LIMIT:
        raise InvalidInput(f"Die Begründung des Nachtrags ist zu lang ({len(reason)} Zeichen; "
                           f"höchstens {CORRECTION_LIMIT}).")
    published = published_quarters(session)
    if quarter is not None:
        hit = sorted(q for q in published if q == quarter)
    else:
        hit = sorted(q for q in published if Quarter.parse(q).end >= effective_on)
    if hit and not reason:
        first = Quarter.parse(hit[0])
        what = (f"Ein Sachstand für das {first.label}" if quarter is not None else
                f"Eine Änderung mit Wirkung am {format_date(effective_on)}")
        raise InvalidInput(
            f"Der Bericht für das {first.label} ist bereits veröffentlicht. {what} "
            f"(Empfehlung {number}) ändert ihn nachträglich und ist nur als Nachtrag mit "
            "Begründung möglich (--correction TEXT); er erscheint dann im nächsten Bericht "
            "unter „Nachträge zu früheren Berichten“.")
    if not reason:
        return source
    return (CORRECTION_PREFIX + reason + (f" · {source}" if source else ""))[:300]
