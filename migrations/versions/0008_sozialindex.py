"""the Sozialindex: Sozialquartiere, their indicator values, the counts behind a share, and
the computed status and dynamics index

`quarters`: small areas (Sozialquartiere) inside a Sozialraum. `quarter_values`: indicator
values per quarter and year, with numerator and denominator when the counts are known.
`indicator_values` gains `numerator`, `denominator` and `derived` (computed from the quarters'
counts as the ratio of the sums). `index_computations` and `index_values`: every computed index
with its method, years, indicators and inputs; appended, never changed (computing again appends
a new computation).

The downgrade refuses while quarters, quarter values, counts or computations exist, unless
forced (`-x force=yes`): they would be lost.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-02 15:30:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0008'
down_revision: str | None = '0007'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.add_column('indicator_values', sa.Column('numerator', sa.Float(), nullable=True))
    op.add_column('indicator_values', sa.Column('denominator', sa.Float(), nullable=True))
    op.add_column('indicator_values', sa.Column('derived', sa.Boolean(), nullable=False,
                                                server_default=sa.false()))
    op.create_table(
        'quarters',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('district_id', sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(['district_id'], ['districts.id'],
                                name=op.f('fk_quarters_district_id_districts')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quarters')),
        sa.UniqueConstraint('name', name=op.f('uq_quarters_name')),
    )
    with op.batch_alter_table('quarters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarters_district_id'), ['district_id'],
                              unique=False)
    op.create_table(
        'quarter_values',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('indicator_id', sa.Integer(), nullable=False),
        sa.Column('quarter_id', sa.Integer(), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('value', sa.Float(), nullable=False),
        sa.Column('numerator', sa.Float(), nullable=True),
        sa.Column('denominator', sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(['indicator_id'], ['indicators.id'],
                                name=op.f('fk_quarter_values_indicator_id_indicators')),
        sa.ForeignKeyConstraint(['quarter_id'], ['quarters.id'],
                                name=op.f('fk_quarter_values_quarter_id_quarters')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_quarter_values')),
        sa.UniqueConstraint('indicator_id', 'quarter_id', 'year',
                            name='uq_quarter_values_indicator_quarter_year'),
    )
    with op.batch_alter_table('quarter_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_quarter_values_quarter_id'), ['quarter_id'],
                              unique=False)
    op.create_table(
        'index_computations',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('method', sa.String(length=32), nullable=False),
        sa.Column('level', sa.String(length=16), nullable=False),
        sa.Column('year', sa.Integer(), nullable=False),
        sa.Column('base_year', sa.Integer(), nullable=True),
        sa.Column('indicators', sa.JSON(), nullable=False),
        sa.Column('parameters', sa.JSON(), nullable=False),
        sa.Column('status_sd', sa.Float(), nullable=False),
        sa.Column('dynamics_sd', sa.Float(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('computed_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_index_computations_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_index_computations')),
    )
    with op.batch_alter_table('index_computations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_index_computations_year'), ['year'], unique=False)
    op.create_table(
        'index_values',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('computation_id', sa.Integer(), nullable=False),
        sa.Column('quarter_id', sa.Integer(), nullable=True),
        sa.Column('district_id', sa.Integer(), nullable=False),
        sa.Column('area', sa.String(length=120), nullable=False),
        sa.Column('rank', sa.Integer(), nullable=False),
        sa.Column('status', sa.Float(), nullable=False),
        sa.Column('status_class', sa.Enum('high', 'medium', 'low', 'very_low',
                                          name='status_class', native_enum=False,
                                          create_constraint=True, length=32), nullable=False),
        sa.Column('dynamics', sa.Float(), nullable=True),
        sa.Column('dynamics_class', sa.Enum('positive', 'stable', 'negative',
                                            name='dynamics_class', native_enum=False,
                                            create_constraint=True, length=32), nullable=True),
        sa.Column('inputs', sa.JSON(), nullable=False),
        sa.ForeignKeyConstraint(['computation_id'], ['index_computations.id'],
                                name=op.f('fk_index_values_computation_id_index_computations')),
        sa.ForeignKeyConstraint(['district_id'], ['districts.id'],
                                name=op.f('fk_index_values_district_id_districts')),
        sa.ForeignKeyConstraint(['quarter_id'], ['quarters.id'],
                                name=op.f('fk_index_values_quarter_id_quarters')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_index_values')),
    )
    with op.batch_alter_table('index_values', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_index_values_computation_id'), ['computation_id'],
                              unique=False)


def _count(sql: str) -> int:
    return op.get_bind().execute(sa.text(sql)).scalar() or 0


def downgrade() -> None:
    from controlling.data.migration_guard import forced

    rows = (_count("SELECT count(*) FROM quarters")
            + _count("SELECT count(*) FROM quarter_values")
            + _count("SELECT count(*) FROM index_computations")
            + _count("SELECT count(*) FROM indicator_values WHERE numerator IS NOT NULL "
                     "OR denominator IS NOT NULL OR derived"))
    if rows and not forced():
        from controlling.domain.errors import DomainError

        raise DomainError(
            "Zurück vor Schema-Stand 0008 würde Sozialquartiere, ihre Indikatorwerte, Zähler "
            "und Nenner oder berechnete Sozialindizes löschen: abgelehnt. Erzwingen mit "
            "'alembic -x force=yes downgrade ...'.")
    with op.batch_alter_table('index_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_index_values_computation_id'))
    op.drop_table('index_values')
    with op.batch_alter_table('index_computations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_index_computations_year'))
    op.drop_table('index_computations')
    with op.batch_alter_table('quarter_values', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarter_values_quarter_id'))
    op.drop_table('quarter_values')
    with op.batch_alter_table('quarters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_quarters_district_id'))
    op.drop_table('quarters')
    with op.batch_alter_table('indicator_values', schema=None) as batch_op:
        batch_op.drop_column('derived')
        batch_op.drop_column('denominator')
        batch_op.drop_column('numerator')
