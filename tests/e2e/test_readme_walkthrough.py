"""The README's walkthrough, typed literally: every bash block between the `walkthrough`
markers runs in one shell in an empty folder, with the installed `controlling` on the PATH and
no proof of identity from the test run (the operating-system login becomes the admin). Each
command must succeed; the quarterly report must show the walkthrough's own data."""

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

README = Path(__file__).resolve().parents[2] / "README.md"
BLOCK = re.compile(r"<!-- walkthrough:start -->\s*```bash\n(.*?)```\s*<!-- walkthrough:end -->",
                   re.S)


def walkthrough() -> str:
    blocks = BLOCK.findall(README.read_text(encoding="utf-8"))
    assert len(blocks) >= 3, "the README lost its walkthrough markers"
    return "\n".join(blocks)


def test_the_walkthrough_has_no_placeholder_the_reader_would_have_to_fill_in():
    script = walkthrough()
    assert "…" not in script and "..." not in script
    assert "$BL31_TOKEN" in script and "BL31_TOKEN=$(" in script  # made before it is used


def test_the_readme_walkthrough_runs_as_typed_in_an_empty_folder(tmp_path):
    from pypdf import PdfReader

    program = Path(sys.executable).parent / "controlling"
    if not program.exists() and shutil.which("controlling") is None:
        pytest.skip("das Programm 'controlling' ist nicht installiert")
    env = {k: v for k, v in os.environ.items() if not k.startswith("CONTROLLING_")}
    env["PATH"] = f"{program.parent}{os.pathsep}{env.get('PATH', '')}"
    script = "set -e\ntrap 'echo \"FEHLGESCHLAGEN: $BASH_COMMAND\" >&2' ERR\n" + walkthrough()
    done = subprocess.run(["bash", "-c", script], cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:] + done.stdout[-2000:]
    assert "Traceback" not in done.stderr
    folder = tmp_path / "versuch"
    text = "\n".join(page.extract_text() or ""
                     for page in PdfReader(folder / "controlling-2024-Q2.pdf").pages)
    assert "Familienzentrum ausbauen" in text.replace("\n", " ")  # the corrected title
    assert "Umbau verzögert" in text.replace("\n", " ")  # the walkthrough's own Sachstand
    assert (folder / "sicherung" / "controlling.db").stat().st_size > 0
    assert "Prüfung bestanden" in done.stdout
