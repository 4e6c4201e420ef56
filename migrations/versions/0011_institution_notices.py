"""notices to institutions: institutions.notice_email, institutions.notices

An institution may ask to be told when a recommendation that came from suggestions of an
expert dialogue in its Sozialraum changes status (the "Rückkopplung"): an address of the
institution (not of a private person) and the opt-in.

The downgrade refuses while any institution has an address for notices, unless forced
(`-x force=yes`).

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-02 16:10:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0011'
down_revision: str | None = '0010'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notice_email', sa.String(length=254), nullable=True))
        batch_op.add_column(sa.Column('notices', sa.Boolean(), nullable=False,
                                      server_default=sa.false()))


def downgrade() -> None:
    from controlling.data.migration_guard import refuse_losing_rows

    refuse_losing_rows('0011', columns=[('institutions', 'notice_email')])
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_column('notices')
        batch_op.drop_column('notice_email')
