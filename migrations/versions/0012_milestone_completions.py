"""milestone completions append-only; target dates and milestones join the history chain

1. `milestone_completions`: a milestone is reached by appending a completion (the day it was
   reached, who recorded it, when, and for a correction of an earlier day the reason); the
   youngest completion counts. The column `milestones.done_on` goes: its values become one
   completion each (recorded by the milestone's author at the moment the milestone was made,
   as that is all the old column knew).
2. `milestones` and `milestone_completions` are append-only like the rest of the history
   (triggers refuse UPDATE and DELETE, and on PostgreSQL TRUNCATE; `target_changes` has them
   since 0009).
3. `target_changes`, `milestones` and `milestone_completions` join the history chain
   (docs/integrity.md): the rows that exist are appended after the chain's head, table by table
   in the order below, each table by its key, so the same data gives the same chain everywhere.
4. The downgrade puts the youngest completion back into `milestones.done_on`. It refuses while
   completions exist or the chain holds entries of these tables, unless forced (`-x force=yes`):
   the corrections would be lost, and the chain entries stay (the chain is append-only). An
   upgrade after that chains only the rows not in the chain yet; `verify` then names each
   completion whose record the downgrade changed, which is what happened.

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-03 12:00:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0012'
down_revision: str | None = '0011'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

CHAINED_TABLES = ('target_changes', 'milestones', 'milestone_completions')
GUARDED = ('milestones', 'milestone_completions')
GENESIS = '0' * 64
CHUNK = 1000


def _chain_existing_rows(bind) -> int:
    """Append the rows of CHAINED_TABLES to the chain after its head; the number appended."""
    from controlling.data.encoding import row_dicts
    from controlling.domain.integrity import extend, key_column, row_sha256

    metadata = sa.MetaData()
    metadata.reflect(bind, only=[*CHAINED_TABLES, 'history_chain', 'history_chain_head'],
                     resolve_fks=False)
    chain, head = metadata.tables['history_chain'], metadata.tables['history_chain_head']
    current = bind.execute(sa.select(head.c.seq, head.c.chain_sha256)
                           .where(head.c.id == 1)).first()
    had_head = current is not None
    seq, previous = (current[0], current[1]) if had_head else (0, GENESIS)
    appended = 0
    for name in CHAINED_TABLES:
        table = metadata.tables[name]
        chained = set(bind.execute(sa.select(chain.c.row_id)
                                   .where(chain.c.table_name == name)).scalars())
        rows = [(name, row[key_column(name)], row_sha256(row))
                for row in row_dicts(bind, table) if row[key_column(name)] not in chained]
        entries = extend(seq, previous, rows)
        for start in range(0, len(entries), CHUNK):
            bind.execute(chain.insert(), [
                {"seq": e.seq, "table_name": e.table_name, "row_id": e.row_id,
                 "row_sha256": e.row_sha256, "previous_sha256": e.previous_sha256,
                 "chain_sha256": e.chain_sha256} for e in entries[start:start + CHUNK]])
        if entries:
            seq, previous = entries[-1].seq, entries[-1].chain_sha256
            appended += len(entries)
    if appended and had_head:
        bind.execute(head.update().where(head.c.id == 1).values(seq=seq, chain_sha256=previous))
    elif appended:
        bind.execute(head.insert().values(id=1, seq=seq, chain_sha256=previous))
    return appended


def upgrade() -> None:
    bind = op.get_bind()
    old = sa.table('milestones', sa.column('id', sa.Integer()), sa.column('done_on', sa.Date()),
                   sa.column('actor_id', sa.Integer()), sa.column('created_at', sa.DateTime()))
    done = bind.execute(sa.select(old.c.id, old.c.done_on, old.c.actor_id, old.c.created_at)
                        .where(old.c.done_on.isnot(None)).order_by(old.c.id)).all()
    # the column goes first: on SQLite the batch copy of `milestones` must not find rows
    # referring to it
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.drop_column('done_on')
    completions = op.create_table(
        'milestone_completions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('milestone_id', sa.Integer(), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=False),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_milestone_completions_actor_id_users')),
        sa.ForeignKeyConstraint(['milestone_id'], ['milestones.id'],
                                name=op.f('fk_milestone_completions_milestone_id_milestones')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_milestone_completions')),
    )
    with op.batch_alter_table('milestone_completions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_milestone_completions_milestone_id'),
                              ['milestone_id'], unique=False)
    if done:
        bind.execute(completions.insert(), [
            {"milestone_id": row[0], "done_on": row[1], "reason": None, "actor_id": row[2],
             "recorded_at": row[3]} for row in done])
    from controlling.data.migration_guard import protect_tables

    protect_tables(GUARDED)
    _chain_existing_rows(bind)


def downgrade() -> None:
    from controlling.data.migration_guard import forced, refuse_losing_rows, unprotect_tables

    bind = op.get_bind()
    refuse_losing_rows('0012', tables=('milestone_completions',))
    entries = bind.execute(sa.text(
        "SELECT count(*) FROM history_chain WHERE table_name IN "
        "('target_changes', 'milestones', 'milestone_completions')")).scalar()
    if entries and not forced():
        from controlling.domain.errors import DomainError

        raise DomainError(
            f"Zurück vor Schema-Stand 0012 ließe {entries} Einträge der Kette über den Verlauf "
            "ohne ihre Tabellen zurück (Zieltermine, Meilensteine; 'controlling verify' meldet "
            "sie danach): abgelehnt. Erzwingen mit 'alembic -x force=yes downgrade ...'.")
    latest = bind.execute(sa.text(
        "SELECT c.milestone_id, c.done_on FROM milestone_completions c WHERE c.id = "
        "(SELECT max(d.id) FROM milestone_completions d WHERE d.milestone_id = c.milestone_id)"
    )).all()
    unprotect_tables(GUARDED)
    op.drop_table('milestone_completions')
    with op.batch_alter_table('milestones', schema=None) as batch_op:
        batch_op.add_column(sa.Column('done_on', sa.Date(), nullable=True))
    for milestone_id, done_on in latest:
        bind.execute(sa.text("UPDATE milestones SET done_on = :d WHERE id = :i"),
                     {"d": done_on, "i": milestone_id})
