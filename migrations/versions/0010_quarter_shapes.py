"""the outline of a Sozialquartier: quarters.shape

`quarters.shape`: an optional GeoJSON Polygon or MultiPolygon geometry (WGS84, [longitude,
latitude], RFC 7946), imported with `import quarter-shapes` and written by `export geojson
--quarters` with the quarter's classes in the newest Sozialindex.

The downgrade refuses while any quarter has an outline, unless forced (`-x force=yes`).

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-02 16:40:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0010'
down_revision: str | None = '0009'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('quarters', schema=None) as batch_op:
        batch_op.add_column(sa.Column('shape', sa.JSON(), nullable=True))


def downgrade() -> None:
    from controlling.data.migration_guard import refuse_losing_rows

    refuse_losing_rows('0010', columns=[('quarters', 'shape')])
    with op.batch_alter_table('quarters', schema=None) as batch_op:
        batch_op.drop_column('shape')
