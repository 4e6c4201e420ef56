"""the tamper-evident history chain

1. `history_chain`: one entry per history row (the tables of migration 0005's triggers), with
   the row's SHA-256, the previous entry's hash and its own (controlling/domain/integrity.py,
   docs/integrity.md); append-only like the history (triggers refuse UPDATE, DELETE and on
   PostgreSQL TRUNCATE). `history_chain_head`: the single row writers lock to append (created
   by the first writer, or here when there is history already); it may be updated, never
   deleted.
2. Back-fill: the rows that exist already are chained table by table in the order below, each
   table by its key, so the same data gives the same chain on every database.
3. The downgrade drops the chain only while it is empty, or when forced (Alembic
   `-x force=yes`, or `config.attributes["force"] = True` in-process): without it, nothing
   would show whether the history was rewritten before the chain was dropped.

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-03 09:00:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0006'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HISTORY_TABLES = (
    'status_changes', 'progress_updates', 'measure_changes', 'suggestion_outcomes',
    'supersessions', 'editions', 'edition_items', 'sign_ins', 'account_events',
    'published_reports',
)
GENESIS = '0' * 64
CHUNK = 1000


def _guards(bind) -> None:
    if bind.dialect.name == 'sqlite':
        for table, operations in (('history_chain', ('UPDATE', 'DELETE')),
                                  ('history_chain_head', ('DELETE',))):
            for operation in operations:
                op.execute(
                    f"CREATE TRIGGER tr_{table}_no_{operation.lower()} BEFORE {operation} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only: "
                    f"{operation} refused (history is never rewritten)'); END")
        return
    # refuse_history_change() comes from migration 0005
    op.execute("CREATE TRIGGER tr_history_chain_append_only BEFORE UPDATE OR DELETE ON "
               "history_chain FOR EACH ROW EXECUTE FUNCTION refuse_history_change()")
    op.execute("CREATE TRIGGER tr_history_chain_head_no_delete BEFORE DELETE ON "
               "history_chain_head FOR EACH ROW EXECUTE FUNCTION refuse_history_change()")
    for table in ('history_chain', 'history_chain_head'):
        op.execute(f"CREATE TRIGGER tr_{table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()")


def _drop_guards(bind) -> None:
    if bind.dialect.name == 'sqlite':
        for name in ('tr_history_chain_no_update', 'tr_history_chain_no_delete',
                     'tr_history_chain_head_no_delete'):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    for name, table in (('tr_history_chain_append_only', 'history_chain'),
                        ('tr_history_chain_no_truncate', 'history_chain'),
                        ('tr_history_chain_head_no_delete', 'history_chain_head'),
                        ('tr_history_chain_head_no_truncate', 'history_chain_head')):
        op.execute(f"DROP TRIGGER IF EXISTS {name} ON {table}")


def _back_fill(bind, chain, head) -> int:
    """Chain the rows that exist, table by table in HISTORY_TABLES order, each by its key."""
    from controlling.data.encoding import row_dicts
    from controlling.domain.integrity import extend, key_column, row_sha256

    metadata = sa.MetaData()
    metadata.reflect(bind, only=list(HISTORY_TABLES), resolve_fks=False)
    seq, previous = 0, GENESIS
    for name in HISTORY_TABLES:
        table = metadata.tables[name]
        rows = [(name, row[key_column(name)], row_sha256(row))
                for row in row_dicts(bind, table)]
        entries = extend(seq, previous, rows)
        for start in range(0, len(entries), CHUNK):
            bind.execute(chain.insert(), [
                {"seq": e.seq, "table_name": e.table_name, "row_id": e.row_id,
                 "row_sha256": e.row_sha256, "previous_sha256": e.previous_sha256,
                 "chain_sha256": e.chain_sha256} for e in entries[start:start + CHUNK]])
        if entries:
            seq, previous = entries[-1].seq, entries[-1].chain_sha256
    if seq:  # without history there is no head yet: the first writer creates it
        bind.execute(head.insert().values(id=1, seq=seq, chain_sha256=previous))
    return seq


def upgrade() -> None:
    chain = op.create_table(
        'history_chain',
        sa.Column('seq', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('table_name', sa.String(length=64), nullable=False),
        sa.Column('row_id', sa.Integer(), nullable=False),
        sa.Column('row_sha256', sa.String(length=64), nullable=False),
        sa.Column('previous_sha256', sa.String(length=64), nullable=False),
        sa.Column('chain_sha256', sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint('seq', name=op.f('pk_history_chain')),
        sa.UniqueConstraint('table_name', 'row_id', name='uq_history_chain_table_name_row_id'),
    )
    head = op.create_table(
        'history_chain_head',
        sa.Column('id', sa.Integer(), autoincrement=False, nullable=False),
        sa.Column('seq', sa.Integer(), nullable=False),
        sa.Column('chain_sha256', sa.String(length=64), nullable=False),
        sa.CheckConstraint('id = 1', name=op.f('ck_history_chain_head_single_row')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_history_chain_head')),
    )
    bind = op.get_bind()
    _back_fill(bind, chain, head)
    _guards(bind)


def downgrade() -> None:
    from controlling.data.migration_guard import forced

    bind = op.get_bind()
    rows = bind.execute(sa.text("SELECT count(*) FROM history_chain")).scalar()
    if rows and not forced():
        from controlling.domain.errors import DomainError

        raise DomainError(
            f"Zurück vor Schema-Stand 0006 würde die Kette über den Verlauf ({rows} Einträge) "
            "löschen: abgelehnt (danach ließe sich nicht mehr zeigen, ob der Verlauf verändert "
            "wurde). Erzwingen mit 'alembic -x force=yes downgrade ...'.")
    _drop_guards(bind)
    op.drop_table('history_chain_head')
    op.drop_table('history_chain')
