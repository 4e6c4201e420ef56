"""the update round comes after the quarter. A Sachstand from a returned workbook
without a date is effective on the quarter's last day and counts for the quarter; once the
quarter's report is published, the workbook needs a reason (a Nachtrag)."""

import pytest

from controlling.domain.errors import ImportRefused
from controlling.services.publication import publish_quarterly
from controlling.services.quarterly import quarterly_report
from controlling.services.recommendations import show_recommendation
from controlling.services.update_sheets import export_update_sheets, import_update_sheet
from tests.exchange_support import approved, fill, sheet_path

Q = "2024-Q2"


@pytest.fixture
def returned(cli, people, uow, tmp_path):
    approved(cli, 1)
    export_update_sheets(uow(), "planer", quarter=Q, out_dir=tmp_path)
    return fill(sheet_path(tmp_path, Q, "3-1"), {1: {"light": "rot", "note": "Räume fehlen"}})


def test_a_sachstand_without_a_date_is_effective_on_the_quarters_last_day_and_counts(
        returned, uow):
    import_update_sheet(uow(), "planer", returned, quarter=Q)
    update = show_recommendation(uow(), "admin", 1)["progress"][-1]
    assert (update["quarter"], update["effective_on"]) == (Q, "2024-06-30")
    report = quarterly_report(uow(), "ausschuss", Q)
    assert report.lights["red"] == 1 and report.stale == ()


def test_after_the_quarters_publication_the_workbook_needs_a_reason(returned, uow):
    publish_quarterly(uow(), "planer", Q)
    with pytest.raises(ImportRefused, match="--correction"):
        import_update_sheet(uow(), "planer", returned, quarter=Q)
    import_update_sheet(uow(), "planer", returned, quarter=Q, correction="Bogen kam spät")
    update = show_recommendation(uow(), "admin", 1)["progress"][-1]
    assert update["source"].startswith("Nachtrag: Bogen kam spät · Abfragebogen")
    assert quarterly_report(uow(), "ausschuss", "2024-Q3").corrections[0].reason == (
        "Bogen kam spät")
