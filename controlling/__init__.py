"""Controlling of the recommendations (Handlungsempfehlungen) of strategic social planning."""

__version__ = "0.1.0"

# In a checkout the folders reports/ and migrations/ sit beside this package; installed, they
# are its subpackages controlling.reports and controlling.migrations (pyproject.toml,
# package-dir). Here a checkout finds them the same way: the folder above joins the package's
# search path (after the package's own folder, so nothing of the package is shadowed).
from pathlib import Path as _Path

_here = _Path(__file__).resolve().parent
if not (_here / "reports").is_dir() and (_here.parent / "reports" / "__init__.py").is_file():
    __path__.append(str(_here.parent))
del _Path, _here
