"""corrections with history: recommendation edits, corrected Sachstände

1. `recommendation_edits`: every change of a recommendation's title, description, topic,
   kind, district or department, field by field (old and new value), with the reason, who and
   when; append-only (triggers refuse UPDATE and DELETE, on PostgreSQL TRUNCATE) and in the
   history chain like the rest of the history (a new table: nothing to chain yet).
2. `progress_updates.corrects_id`: a Sachstand that corrects an earlier one names it. No
   foreign key in the database (adding one would rebuild the append-only table on SQLite and
   drop its triggers); the service checks it. The chain hashes leave NULL columns out, so the
   rows chained before keep their hashes.

The downgrade refuses while edits or corrections exist, unless forced (`-x force=yes`).

Revision ID: 0013
Revises: 0012
Create Date: 2026-12-03 13:00:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0013'
down_revision: str | None = '0012'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHAINED_TABLES = ('recommendation_edits',)


def upgrade() -> None:
    op.create_table(
        'recommendation_edits',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('version', sa.Integer(), nullable=False),
        sa.Column('changes', sa.JSON(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_recommendation_edits_actor_id_users')),
        sa.ForeignKeyConstraint(
            ['recommendation_id'], ['recommendations.id'],
            name=op.f('fk_recommendation_edits_recommendation_id_recommendations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_recommendation_edits')),
    )
    with op.batch_alter_table('recommendation_edits', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_recommendation_edits_recommendation_id'),
                              ['recommendation_id'], unique=False)
    op.add_column('progress_updates', sa.Column('corrects_id', sa.Integer(), nullable=True))
    from controlling.data.migration_guard import protect_tables

    protect_tables(('recommendation_edits',))


def downgrade() -> None:
    from controlling.data.migration_guard import refuse_losing_rows, unprotect_tables

    refuse_losing_rows('0013', tables=('recommendation_edits',),
                       columns=[('progress_updates', 'corrects_id')])
    unprotect_tables(('recommendation_edits',))
    op.drop_table('recommendation_edits')
    op.drop_column('progress_updates', 'corrects_id')
