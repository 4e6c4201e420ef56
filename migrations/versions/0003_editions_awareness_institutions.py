"""editions, supersession, awareness of offers, institutions

Hand-written parts (autogenerate sees neither):

1. The status value `superseded` ("ersetzt") is added to the VARCHAR + CHECK enum columns
   recommendations.status, status_changes.from_status and status_changes.to_status: their CHECK
   constraints ck_recommendations_status, ck_status_changes_from_status and
   ck_status_changes_to_status are dropped and created again with the new list of values.
   PostgreSQL alters the constraints in place. SQLite cannot alter a constraint: the two tables
   are recreated (batch mode). Recreating `recommendations` drops the old table, which other
   tables reference; with foreign keys enforced (the program's connections) and a transaction
   already open (PRAGMA foreign_keys cannot be switched off then), SQLite would refuse the drop
   while rows refer to it. So its rows are set aside in a holding table and the table is
   emptied first (the dangling references are only counted under PRAGMA defer_foreign_keys,
   which ends with the transaction), recreated empty, and filled again, which settles the count.
   `PRAGMA foreign_key_check` must come out empty at the end.
2. Downgrade refuses while any recommendation or history entry is `superseded`: mapping those
   to another status would rewrite the append-only history and claim a decision nobody made
   (a superseded recommendation was not rejected). Supersessions must be resolved by hand
   (or the data restored from a backup of the older program) before going back.
3. New tables: supersessions (link: recommendation -> its successor, with the status change),
   editions and edition_items (frozen JSON), awareness_counts and awareness_cards,
   institutions and measure_institutions.

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-25 20:00:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0003'
down_revision: str | None = '0002'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD_STATUSES = ('proposed', 'statistically_supported', 'approved', 'implemented', 'rejected')
NEW_STATUSES = (*OLD_STATUSES, 'superseded')
# table -> (CHECK constraint name, column) whose enum gains `superseded`; status_changes first:
# it refers to recommendations and nothing refers to it yet.
STATUS_CHECKS = (
    ('status_changes', 'ck_status_changes_from_status', 'from_status'),
    ('status_changes', 'ck_status_changes_to_status', 'to_status'),
    ('recommendations', 'ck_recommendations_status', 'status'),
)


def _condition(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


def _replace_status_checks(values: tuple[str, ...]) -> None:
    bind = op.get_bind()
    if bind.dialect.name != 'sqlite':
        for table, name, column in STATUS_CHECKS:
            op.drop_constraint(op.f(name), table, type_='check')
            op.create_check_constraint(op.f(name), table, _condition(column, values))
        return
    for table in ('status_changes', 'recommendations'):
        checks = [(name, column) for t, name, column in STATUS_CHECKS if t == table]
        holding = f'_hold_{table}'
        columns = ', '.join(c['name'] for c in sa.inspect(bind).get_columns(table))
        # columns without a type: the values are kept exactly as stored (no type affinity)
        op.execute(f'CREATE TEMP TABLE {holding} ({columns})')
        op.execute(f'INSERT INTO {holding} SELECT {columns} FROM {table}')  # opens the transaction
        bind.exec_driver_sql('PRAGMA defer_foreign_keys = ON')  # until the end of the transaction
        op.execute(f'DELETE FROM {table}')
        with op.batch_alter_table(table, recreate='always') as batch_op:
            for name, column in checks:
                batch_op.drop_constraint(op.f(name), type_='check')
                batch_op.create_check_constraint(op.f(name), _condition(column, values))
        op.execute(f'INSERT INTO {table} ({columns}) SELECT {columns} FROM {holding}')
        op.execute(f'DROP TABLE {holding}')
    problems = bind.exec_driver_sql('PRAGMA foreign_key_check').fetchall()
    if problems:
        raise RuntimeError(f'0003: foreign keys broken after recreating tables: {problems}')


def upgrade() -> None:
    _replace_status_checks(NEW_STATUSES)

    op.create_table('awareness_cards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('question', sa.Enum('publicity', 'source', name='question', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_awareness_cards_actor_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_awareness_cards_event_id_events')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_awareness_cards_measure_id_measures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awareness_cards'))
    )
    with op.batch_alter_table('awareness_cards', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awareness_cards_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awareness_cards_measure_id'), ['measure_id'], unique=False)

    op.create_table('awareness_counts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('event_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('known_yes', sa.Integer(), nullable=False),
    sa.Column('known_no', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('source', sa.String(length=300), nullable=True),
    sa.CheckConstraint('known_no >= 0', name=op.f('ck_awareness_counts_known_no_not_negative')),
    sa.CheckConstraint('known_yes >= 0', name=op.f('ck_awareness_counts_known_yes_not_negative')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_awareness_counts_actor_id_users')),
    sa.ForeignKeyConstraint(['event_id'], ['events.id'], name=op.f('fk_awareness_counts_event_id_events')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_awareness_counts_measure_id_measures')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_awareness_counts')),
    sa.UniqueConstraint('event_id', 'measure_id', name='uq_awareness_counts_event_measure')
    )
    with op.batch_alter_table('awareness_counts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_awareness_counts_event_id'), ['event_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_awareness_counts_measure_id'), ['measure_id'], unique=False)

    op.create_table('editions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('published_on', sa.Date(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('recorded_at', sa.DateTime(), nullable=False),
    sa.Column('note', sa.Text(), nullable=True),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_editions_actor_id_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_editions')),
    sa.UniqueConstraint('name', name=op.f('uq_editions_name'))
    )
    op.create_table('institutions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('type', sa.String(length=120), nullable=False),
    sa.Column('address', sa.String(length=300), nullable=False),
    sa.Column('longitude', sa.Float(), nullable=False),
    sa.Column('latitude', sa.Float(), nullable=False),
    sa.Column('district_id', sa.Integer(), nullable=True),
    sa.Column('actor_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sa.DateTime(), nullable=False),
    sa.CheckConstraint('latitude >= -90 AND latitude <= 90', name=op.f('ck_institutions_latitude_range')),
    sa.CheckConstraint('longitude >= -180 AND longitude <= 180', name=op.f('ck_institutions_longitude_range')),
    sa.ForeignKeyConstraint(['actor_id'], ['users.id'], name=op.f('fk_institutions_actor_id_users')),
    sa.ForeignKeyConstraint(['district_id'], ['districts.id'], name=op.f('fk_institutions_district_id_districts')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_institutions')),
    sa.UniqueConstraint('name', 'address', name='uq_institutions_name_address')
    )
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_institutions_district_id'), ['district_id'], unique=False)

    op.create_table('edition_items',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('edition_id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('recommendation', 'measure', name='item_kind', native_enum=False, create_constraint=True, length=32), nullable=False),
    sa.Column('reference', sa.Integer(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.ForeignKeyConstraint(['edition_id'], ['editions.id'], name=op.f('fk_edition_items_edition_id_editions')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_edition_items')),
    sa.UniqueConstraint('edition_id', 'kind', 'reference', name='uq_edition_items_edition_kind_reference')
    )
    with op.batch_alter_table('edition_items', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_edition_items_edition_id'), ['edition_id'], unique=False)

    op.create_table('measure_institutions',
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('institution_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['institution_id'], ['institutions.id'], name=op.f('fk_measure_institutions_institution_id_institutions')),
    sa.ForeignKeyConstraint(['measure_id'], ['measures.id'], name=op.f('fk_measure_institutions_measure_id_measures')),
    sa.PrimaryKeyConstraint('measure_id', 'institution_id', name=op.f('pk_measure_institutions'))
    )
    op.create_table('supersessions',
    sa.Column('recommendation_id', sa.Integer(), nullable=False),
    sa.Column('successor_id', sa.Integer(), nullable=False),
    sa.Column('status_change_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'], name=op.f('fk_supersessions_recommendation_id_recommendations')),
    sa.ForeignKeyConstraint(['status_change_id'], ['status_changes.id'], name=op.f('fk_supersessions_status_change_id_status_changes')),
    sa.ForeignKeyConstraint(['successor_id'], ['recommendations.id'], name=op.f('fk_supersessions_successor_id_recommendations')),
    sa.PrimaryKeyConstraint('recommendation_id', name=op.f('pk_supersessions')),
    sa.UniqueConstraint('status_change_id', name=op.f('uq_supersessions_status_change_id'))
    )
    with op.batch_alter_table('supersessions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_supersessions_successor_id'), ['successor_id'], unique=False)


def downgrade() -> None:
    bind = op.get_bind()
    superseded = bind.execute(sa.text(
        "SELECT (SELECT COUNT(*) FROM recommendations WHERE status = 'superseded') + "
        "(SELECT COUNT(*) FROM status_changes WHERE to_status = 'superseded' "
        "OR from_status = 'superseded')")).scalar()
    if superseded:
        raise RuntimeError(
            f'Downgrade unter 0003 abgelehnt: {superseded} Empfehlungen bzw. Verlaufseinträge '
            "haben den Status 'superseded' (ersetzt), den ältere Programmversionen nicht kennen. "
            'Der Verlauf wird nicht umgeschrieben; bitte eine Sicherung der älteren Version '
            'einspielen.')
    from controlling.data.migration_guard import refuse_losing_rows

    refuse_losing_rows('0003', ('supersessions', 'measure_institutions', 'edition_items',
                                'institutions', 'editions', 'awareness_counts',
                                'awareness_cards'))
    with op.batch_alter_table('supersessions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_supersessions_successor_id'))

    op.drop_table('supersessions')
    op.drop_table('measure_institutions')
    with op.batch_alter_table('edition_items', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_edition_items_edition_id'))

    op.drop_table('edition_items')
    with op.batch_alter_table('institutions', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_institutions_district_id'))

    op.drop_table('institutions')
    op.drop_table('editions')
    with op.batch_alter_table('awareness_counts', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awareness_counts_measure_id'))
        batch_op.drop_index(batch_op.f('ix_awareness_counts_event_id'))

    op.drop_table('awareness_counts')
    with op.batch_alter_table('awareness_cards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_awareness_cards_measure_id'))
        batch_op.drop_index(batch_op.f('ix_awareness_cards_event_id'))

    op.drop_table('awareness_cards')

    _replace_status_checks(OLD_STATUSES)
