"""Persistence layer: mapping, database set-up, repositories and the unit of work."""

import warnings

# SQLite cannot reflect the expression index on lower(login) (migration 0004); the migrations'
# batch operations and the backup reflect tables that refer to `users`, and SQLAlchemy would
# print its English warning to the user. The index is created and checked by the migrations.
warnings.filterwarnings("ignore", message="Skipped unsupported reflection of expression-based "
                        "index")
warnings.filterwarnings("ignore", message="autogenerate skipping metadata-specified "
                        "expression-based index")
