"""The scale benchmark: how far the program's reports and imports are from the database's own
speed, at a given size. Not a test (nothing here is asserted); run it by hand, see
benchmarks/README.md.

    python benchmarks/scale.py --recommendations 50000 [--db URL] [--repeat 3] [--pdf]

It makes a new database through the program's own migrations (`controlling init`), imports the
recommendations with `controlling import recommendations` (files of at most 100,000 rows,
measured against a floor that writes the same rows with executemany) and indicator values with
`controlling import indicators`, then generates status changes and Sachstände over eight
quarters directly (generation, not measured) and measures each command in a fresh process
against a floor: the same figures computed in plain SQL with a window function, or the bare
imports a command cannot avoid. Each figure: the median of `--repeat` runs, time and peak
memory (the child's maximum resident set), and the ratio program / floor.
"""

import argparse
import csv
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DISTRICTS = ["Mitte/Styrum", "Alstaden/Lirich", "Oberhausen-Ost", "Osterfeld",
             "Sterkrade-Mitte", "Sterkrade-Nord", "stadtweit"]
QUARTERS = [f"{year}-Q{q}" for year in (2023, 2024) for q in (1, 2, 3, 4)]
QUARTER_ENDS = {f"{y}-Q{q}": date(y, 3 * q, (31 if q in (1, 4) else 30)) for y in (2023, 2024)
                for q in (1, 2, 3, 4)}

LATEST_STATUS = """
SELECT d.name, s.to_status, count(*) FROM (
  SELECT recommendation_id, to_status,
         row_number() OVER (PARTITION BY recommendation_id ORDER BY effective_on DESC, id DESC) AS n
  FROM status_changes WHERE effective_on <= :day) s
JOIN recommendations r ON r.id = s.recommendation_id
JOIN districts d ON d.id = r.district_id
WHERE s.n = 1 GROUP BY d.name, s.to_status
"""
LATEST_PROGRESS = """
SELECT r.number, r.title, p.light, p.note FROM (
  SELECT recommendation_id, light, note,
         row_number() OVER (PARTITION BY recommendation_id ORDER BY effective_on DESC, id DESC) AS n
  FROM progress_updates WHERE quarter = :quarter) p
JOIN recommendations r ON r.id = p.recommendation_id WHERE p.n = 1 ORDER BY r.number
"""

# the same, for the Sachstände of one Sozialraum (the strategy paper's floor)
LATEST_PROGRESS_IN = LATEST_PROGRESS.replace(
    "WHERE p.n = 1", "JOIN districts d ON d.id = r.district_id WHERE p.n = 1 "
    "AND d.name = :district")

# a PDF's floor: the rows of the SQL floor laid out once by reportlab as one plain table, a
# wrapped paragraph per text cell (no chapters, no table of contents, one layout pass)
PDF_FLOOR = """
import sys
from sqlalchemy import create_engine, text
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import getSampleStyleSheet
from reportlab.platypus import Paragraph, SimpleDocTemplate, Table
engine = create_engine(sys.argv[1])
with engine.connect() as c:
    rows = c.execute(text(%r), %r).all()
style = getSampleStyleSheet()["BodyText"]
cells = [[Paragraph(str(v), style) for v in row] for row in rows] or [[""]]
SimpleDocTemplate(%r, pagesize=A4).build([Table(cells, colWidths=[110] * len(cells[0]))])
"""


def run(command: list[str], env: dict) -> tuple[float, float]:
    """Seconds and peak MiB of one child process (it must succeed)."""
    wrapped = [sys.executable, "-c", (
        "import resource, subprocess, sys, time\n"
        "t = time.perf_counter()\n"
        "r = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)\n"
        "e = time.perf_counter() - t\n"
        "m = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024\n"
        "print(e, m, r.returncode)"), *command]
    out = subprocess.run(wrapped, env=env, capture_output=True, text=True, check=True).stdout
    seconds, mib, code = out.split()
    if code != "0":
        raise SystemExit(f"fehlgeschlagen ({code}): {' '.join(command)}")
    return float(seconds), float(mib)


def median(command: list[str], env: dict, repeat: int) -> tuple[float, float]:
    runs = [run(command, env) for _ in range(repeat)]
    return statistics.median(r[0] for r in runs), max(r[1] for r in runs)


def python_floor(code: str, url: str) -> list[str]:
    return [sys.executable, "-c", code, url]


SQL_FLOOR = """
import sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1])
with engine.connect() as c:
    for sql, params in %r:
        c.execute(text(sql), params).all()
"""

INDICATOR_FLOOR = """
import csv, sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1])
rows = list(csv.DictReader(open(%r, encoding="utf-8")))
with engine.begin() as c:
    d = dict(c.execute(text("SELECT name, id FROM districts")).all())
    c.execute(text("CREATE TEMPORARY TABLE floor_values (indicator TEXT, district_id INTEGER, "
                   "year INTEGER, value REAL)"))
    c.execute(text("INSERT INTO floor_values VALUES (:i, :d, :y, :v)"),
              [{"i": r["indicator"], "d": d[r["district"]], "y": int(r["year"]),
                "v": float(r["value"])} for r in rows])
"""

EXPORT_FLOOR = """
import json, sys
from sqlalchemy import create_engine, inspect, text
engine = create_engine(sys.argv[1])
with engine.connect() as c, open(%r, "w", encoding="utf-8") as out:
    for name in inspect(c).get_table_names():
        for part in c.execute(text(f'SELECT * FROM "{name}"')).partitions(1000):
            out.write("".join(json.dumps(list(r), default=str) + "\\n" for r in part))
"""

INSERT_FLOOR = """
import csv, sys
from sqlalchemy import create_engine, text
engine = create_engine(sys.argv[1])
rows = list(csv.DictReader(open(%r, encoding="utf-8")))
with engine.begin() as c:
    d = dict(c.execute(text("SELECT name, id FROM districts")).all())
    dep = dict(c.execute(text("SELECT code, id FROM departments")).all())
    c.execute(text("CREATE TEMPORARY TABLE floor_rows (number INTEGER, title TEXT, "
                   "district_id INTEGER, department_id INTEGER)"))
    c.execute(text("INSERT INTO floor_rows VALUES (:n, :t, :d, :p)"),
              [{"n": int(r["number"]), "t": r["title"], "d": d[r["district"]],
                "p": dep[r["department"]]} for r in rows])
"""


def generate(url: str, count: int, folder: Path, env: dict) -> list[Path]:
    """The empty database and the files of `count` recommendations to import (at most
    100,000 rows in a file, the program's limit)."""
    subprocess.run(["controlling", "--db", url, "init"], env=env, check=True,
                   stdout=subprocess.DEVNULL)
    paths = []
    for start in range(1, count + 1, 100_000):
        path = folder / f"empfehlungen-{start}.csv"
        with path.open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(["number", "title", "district", "department", "proposed_on"])
            for n in range(start, min(start + 100_000, count + 1)):
                writer.writerow([n, f"Empfehlung {n}: Angebote im Quartier bündeln",
                                 DISTRICTS[n % len(DISTRICTS)], "3-1", "2023-01-10"])
        paths.append(path)
    return paths


def total(runs: list[tuple[float, float]]) -> tuple[float, float]:
    """Seconds summed and the highest peak of runs one after the other."""
    return sum(r[0] for r in runs), max(r[1] for r in runs)


def indicator_file(rows: int, folder: Path) -> Path:
    """At most `rows` indicator values (a file holds at most 100,000): every district and
    the city over 25 years, for as many indicators as it takes."""
    path = folder / "indikatoren.csv"
    years = range(2000, 2025)
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["indicator", "district", "year", "value", "label"])
        for n in range(1, max(1, rows // (len(DISTRICTS) * len(years))) + 1):
            for district in DISTRICTS:
                for year in years:
                    writer.writerow([f"I{n}", district, year, f"{(n * year) % 997 / 10:.1f}",
                                     f"Indikator {n}"])
    return path


def add_history(url: str) -> None:
    from sqlalchemy import create_engine, insert, select, update

    from controlling.data.models import ProgressUpdate, Recommendation, StatusChange, User

    engine = create_engine(url)
    stamp = datetime(2025, 1, 5, 9, 0)
    with engine.begin() as connection:
        actor = connection.scalar(select(User.id).order_by(User.id).limit(1))
        ids = connection.scalars(select(Recommendation.id).order_by(Recommendation.id)).all()
        approved = ids[::2]
        for status, day in (("statistically_supported", date(2023, 2, 1)),
                            ("approved", date(2023, 3, 1))):
            before = "proposed" if status == "statistically_supported" \
                else "statistically_supported"
            connection.execute(insert(StatusChange), [
                {"recommendation_id": i, "from_status": before, "to_status": status,
                 "actor_id": actor, "effective_on": day, "recorded_at": stamp,
                 "note": "Benchmark"} for i in approved])
        connection.execute(update(Recommendation).where(Recommendation.id.in_(
            select(StatusChange.recommendation_id).where(StatusChange.to_status == "approved")))
            .values(status="approved"))
        lights = ("green", "yellow", "red")
        for index, quarter in enumerate(QUARTERS):
            connection.execute(insert(ProgressUpdate), [
                {"recommendation_id": i, "quarter": quarter, "light": lights[(i + index) % 3],
                 "note": f"Sachstand {quarter}", "actor_id": actor,
                 "effective_on": QUARTER_ENDS[quarter], "recorded_at": stamp}
                for i in approved])
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--recommendations", type=int, default=5000)
    parser.add_argument("--db", help="a PostgreSQL URL of an empty database; default: a new "
                                     "SQLite file in a temporary folder")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--pdf", action="store_true",
                        help="also the PDFs (slow: the quarterly PDF of 5,000 takes minutes)")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="controlling-bench-"))
    url = args.db or f"sqlite:///{folder / 'bench.db'}"
    # with bytecode, as an installed copy runs: PYTHONDONTWRITEBYTECODE (set on some machines)
    # would compile the program's own modules again in every measured run (~0.15 s each)
    env = {**{k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"},
           "CONTROLLING_DB": url, "COLUMNS": "120"}
    csv_paths = generate(url, args.recommendations, folder, env)
    started = time.perf_counter()
    imported = total([run(["controlling", "import", "recommendations", str(p)], env)
                      for p in csv_paths])
    floor_import = total([run(python_floor(INSERT_FLOOR % str(p), url), env)
                          for p in csv_paths])
    indicators = indicator_file(min(2 * args.recommendations, 100_000), folder)
    imported_indicators = run(["controlling", "import", "indicators", str(indicators)], env)
    floor_indicators = run(python_floor(INDICATOR_FLOOR % str(indicators), url), env)
    print(f"Daten: {args.recommendations} Empfehlungen ({time.perf_counter() - started:.1f} s)",
          file=sys.stderr)
    add_history(url)
    day, quarter = "2024-12-31", "2024-Q4"
    quarterly = [(LATEST_STATUS, {"day": day}), (LATEST_PROGRESS, {"quarter": quarter})]
    figures = [
        ("import recommendations", imported, floor_import),
        ("import indicators (doppelt so viele Werte)", imported_indicators, floor_indicators),
        ("report quarterly --format json",
         median(["controlling", "report", "quarterly", "--quarter", quarter, "--format",
                 "json"], env, args.repeat),
         median(python_floor(SQL_FLOOR % (quarterly,), url), env, args.repeat)),
        ("report strategy-paper --format json (ein Sozialraum)",
         median(["controlling", "report", "strategy-paper", "--district", "Osterfeld",
                 "--format", "json"], env, args.repeat),
         median(python_floor(SQL_FLOOR % ([(LATEST_STATUS.replace(
             "WHERE s.n = 1", "WHERE s.n = 1 AND d.name = 'Osterfeld'"), {"day": day})],), url),
             env, args.repeat)),
        ("report city --format json",
         median(["controlling", "report", "city", "--format", "json"], env, args.repeat),
         median(python_floor(SQL_FLOOR % ([(LATEST_STATUS, {"day": day})],), url), env,
                args.repeat)),
        ("export all",
         median(["controlling", "export", "all", "--out", str(folder / "alles.json"),
                 "--force"], env, args.repeat),
         median(python_floor(EXPORT_FLOOR % str(folder / "floor.json"), url), env,
                args.repeat)),
        ("status",
         median(["controlling", "status"], env, args.repeat),
         median([sys.executable, "-c", "import sqlalchemy.orm, click, rich"], env,
                args.repeat)),
        ("--help",
         median(["controlling", "--help"], env, args.repeat),
         median([sys.executable, "-c", "import click"], env, args.repeat)),
    ]
    if args.pdf:
        figures += pdf_figures(url, folder, env, args.repeat, day, quarter)
    print(f"| Kennzahl ({args.recommendations} Empfehlungen, {url.split(':')[0]}) "
          "| Programm | Untergrenze | Verhältnis | Speicher (Programm / Untergrenze) |")
    print("|---|---|---|---|---|")
    for name, (seconds, mib), (floor_seconds, floor_mib) in figures:
        print(f"| `{name}` | {seconds:.2f} s | {floor_seconds:.2f} s | "
              f"{seconds / floor_seconds:.1f}× | {mib:.0f} / {floor_mib:.0f} MiB |")


def pdf_figures(url: str, folder: Path, env: dict, repeat: int, day: str, quarter: str
                ) -> list:
    """The three PDFs against a floor each: reportlab laying out the rows of the SQL floor
    as one plain table (program and floor write into `folder`, replacing their file)."""
    def program(*arguments: str) -> tuple[float, float]:
        return median(["controlling", "report", *arguments, "--out",
                       str(folder / "program.pdf"), "--force"], env, repeat)

    def floor(sql: str, params: dict) -> tuple[float, float]:
        return median(python_floor(PDF_FLOOR % (sql, params, str(folder / "floor.pdf")), url),
                      env, repeat)

    def pages() -> str:  # of the two files just written: "program / floor Seiten"
        counts = [len(re.findall(rb"/Type /Page\b(?!s)", (folder / name).read_bytes()))
                  for name in ("program.pdf", "floor.pdf")]
        return f"{counts[0]} / {counts[1]} Seiten"

    figures = []
    for name, arguments, sql, params in (
            ("report quarterly", ("quarterly", "--quarter", quarter), LATEST_PROGRESS,
             {"quarter": quarter}),
            ("report strategy-paper, ein Sozialraum", ("strategy-paper", "--district",
             "Osterfeld"), LATEST_PROGRESS_IN, {"quarter": quarter, "district": "Osterfeld"}),
            ("report city", ("city",), LATEST_STATUS, {"day": day})):
        measured = program(*arguments), floor(sql, params)
        figures.append((f"{name} (PDF, {pages()})", *measured))
    return figures


if __name__ == "__main__":
    main()
