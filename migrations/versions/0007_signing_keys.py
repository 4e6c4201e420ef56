"""signing keys (the update workbooks' metadata signed with HMAC-SHA256)

`signing_keys`: one secret per purpose (today "update-workbook"), created by the program the
first time it signs something; the secret never leaves the database except in `export all`.
The downgrade refuses while a key exists, unless forced (`-x force=yes`): workbooks handed out
could no longer be checked.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-02 15:00:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0007'
down_revision: str | None = '0006'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        'signing_keys',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('purpose', sa.String(length=32), nullable=False),
        sa.Column('secret', sa.String(length=128), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_signing_keys')),
        sa.UniqueConstraint('purpose', name=op.f('uq_signing_keys_purpose')),
    )


def downgrade() -> None:
    from controlling.data.migration_guard import forced

    rows = op.get_bind().execute(sa.text("SELECT count(*) FROM signing_keys")).scalar()
    if rows and not forced():
        from controlling.domain.errors import DomainError

        raise DomainError(
            "Zurück vor Schema-Stand 0007 würde den Schlüssel der Aktualisierungsbögen "
            "löschen: abgelehnt (ausgegebene Bögen ließen sich nicht mehr prüfen). Erzwingen "
            "mit 'alembic -x force=yes downgrade ...'.")
    op.drop_table('signing_keys')
