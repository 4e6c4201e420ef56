"""`report publish`, `report list`, `report quarterly --as-known` and `--correction`, as a
user types them."""

import hashlib
import json
from datetime import date

import pytest

from tests.conftest import TOMORROW, on_tomorrow
from tests.report_builders import pdf_text


@pytest.fixture
def data(cli, people):
    """2024-Q1: 1 proposed; 2 approved, its Sachstand entered after the quarter."""
    for number, kind in ((1, "new"), (2, "extension")):
        assert cli("recommendation", "add", "--number", number, "--title",
                   f"Stadtteilbüro Nr. {number}", "--district", "Osterfeld", "--department",
                   "3-1", "--kind", kind, "--on", "2024-01-10", user="planer").exit_code == 0
    assert cli("recommendation", "approve", 2, "--on", "2024-02-01", user="bl31").exit_code == 0
    result = cli("progress", 2, "--quarter", "2024-Q1", "--light", "yellow", "--note",
                 "Räume gefunden", user="bl31")  # typed long after the quarter: no --on
    assert result.exit_code == 0, result.output
    assert "wirksam 31.03.2024" in result.stdout
    return cli


def test_a_late_sachstand_counts_for_its_quarter(data):
    report = json.loads(data("report", "quarterly", "--quarter", "2024-Q1", "--format",
                             "json").stdout)
    assert report["lights"]["yellow"] == 1 and report["stale"] == []


def test_publish_then_report_quarterly_gives_exactly_the_published_report(data, tmp_path):
    result = data("report", "publish", "--quarter", "2024-Q1", "--out", tmp_path / "p.pdf",
                  user="planer")
    assert result.exit_code == 0, result.output
    assert "veröffentlicht am" in result.stdout and "durch planer" in result.stdout
    published = (tmp_path / "p.pdf").read_bytes()
    assert hashlib.sha256(published).hexdigest() in result.stdout
    for name in ("a.pdf", "b.pdf"):
        result = data("report", "quarterly", "--quarter", "2024-Q1", "--out", tmp_path / name,
                      user="ausschuss")
        assert result.exit_code == 0 and "Veröffentlichter Bericht" in result.stdout
        assert (tmp_path / name).read_bytes() == published
    stored = json.loads(data("report", "quarterly", "--quarter", "2024-Q1", "--format",
                             "json").stdout)
    assert stored["state"] == "published" and stored["publication"]["actor"] == "planer"
    listed = json.loads(data("report", "list", "--format", "json", user="ausschuss").stdout)
    entry = next(q for q in listed if q["quarter"] == "2024-Q1")
    assert entry["published"] and entry["publication"]["pdf_sha256"] == hashlib.sha256(
        published).hexdigest()
    assert not next(q for q in listed if q["quarter"] == "2024-Q2")["published"]
    table = data("report", "list", user="ausschuss")
    assert table.exit_code == 0 and "veröffentlicht" in table.stdout


def test_a_back_dated_change_needs_a_reason_and_leaves_the_published_report_alone(
        data, tmp_path):
    assert data("report", "publish", "--quarter", "2024-Q1", "--out", tmp_path / "p.pdf",
                user="planer").exit_code == 0
    refused = data("recommendation", "reject", 1, "--reason", "doppelt", "--on", "2024-03-20",
                   user="planer")
    assert refused.exit_code == 1
    assert "bereits veröffentlicht" in refused.stderr and "--correction" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    done = data("recommendation", "reject", 1, "--reason", "doppelt", "--on", "2024-03-20",
                "--correction", "im März vergessen", user="planer")
    assert done.exit_code == 0, done.output
    again = data("report", "quarterly", "--quarter", "2024-Q1", "--out", tmp_path / "a.pdf")
    assert again.exit_code == 0
    assert (tmp_path / "a.pdf").read_bytes() == (tmp_path / "p.pdf").read_bytes()
    rebuilt = json.loads(data("report", "quarterly", "--quarter", "2024-Q1", "--as-known",
                              "now", "--format", "json").stdout)
    assert rebuilt["state"] == "rebuilt" and rebuilt["totals"]["rejected"] == 1
    assert {"key": "totals/rejected", "label": "Empfehlungen abgelehnt", "published": 0,
            "now": 1} in rebuilt["differences"]
    following = data("report", "quarterly", "--quarter", "2024-Q2", "--format", "json")
    corrections = json.loads(following.stdout)["corrections"]
    assert [(c["report"], c["number"], c["reason"]) for c in corrections] == [
        ("2024-Q1", 1, "im März vergessen")]
    out = tmp_path / "q2.pdf"
    assert data("report", "quarterly", "--quarter", "2024-Q2", "--made-on", "2024-07-02",
                "--out", out).exit_code == 0
    text = pdf_text(out.read_bytes())
    assert "Nachträge zu früheren Berichten" in text and "im März vergessen" in text


def test_publishing_twice_a_running_quarter_or_as_committee_member_is_refused(data, tmp_path,
                                                                             today_is):
    assert data("report", "publish", "--quarter", "2024-Q1", user="planer").exit_code == 0
    for args, user, reason in (
            (("--quarter", "2024-Q1"), "admin", "bereits veröffentlicht"),
            (("--quarter", "2024-Q1"), "ausschuss", "Keine Berechtigung")):
        result = data("report", "publish", *args, user=user)
        assert result.exit_code == 1 and reason in result.stderr, result.stderr
    today_is(date(2024, 7, 5))
    for quarter, reason in (("2024-Q3", "läuft noch (bis 30.09.2024)"),
                            ("2024-Q4", "hat noch nicht begonnen")):
        result = data("report", "publish", "--quarter", quarter, user="planer")
        assert result.exit_code == 1 and reason in result.stderr, result.stderr


@pytest.mark.parametrize("made_on, reason", [
    ("2024-03-15", "vor dem Ende des Quartals 2024-Q1"),
    (TOMORROW, "in der Zukunft"),
])
def test_a_made_on_date_before_the_quarters_end_or_in_the_future_is_refused(
        data, tmp_path, made_on, reason, today_is):
    made_on = on_tomorrow(made_on, today_is(date(2024, 7, 5)))
    result = data("report", "quarterly", "--quarter", "2024-Q1", "--made-on", made_on,
                  "--out", tmp_path / "x.pdf")
    assert result.exit_code == 1 and reason in result.stderr
    assert not (tmp_path / "x.pdf").exists()


@pytest.mark.parametrize("moment", ["gestern", "2024-13-01", "2024-07-05T09:31"])
def test_a_malformed_or_future_as_known_moment_is_refused(data, moment, today_is):
    today_is(date(2024, 7, 5))  # 09:30: a minute later is the future
    result = data("report", "quarterly", "--quarter", "2024-Q1", "--as-known", moment,
                  "--format", "json")
    assert result.exit_code == 1 and "--as-known" in result.stderr
