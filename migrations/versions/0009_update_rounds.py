"""update rounds by e-mail: users' e-mail, target dates and milestones of a
recommendation, update rounds with their requests, and the mail outbox

`users.email`: where requests and reminders go. `target_changes`: a recommendation's target date
(Zieltermin), one row per change (the latest is the current one), append-only like the history
(triggers refuse UPDATE and DELETE, and TRUNCATE on PostgreSQL). `milestones`: title, due date,
done on. `update_rounds`: one per quarter (due date, started by, at). `round_requests`: one per
department and round, to its head(s), with the recommendations asked about and the message.
`mail_messages`: the outbox and mail log: every message is recorded before it is sent, a failed
delivery stays queued with its attempts and last error; `dedupe_key` (unique) is how a
reminder is never sent twice.

The downgrade refuses while any of these hold rows (or users have an e-mail), unless forced
(`-x force=yes`).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-02 16:00:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0009'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

GUARDED = ('target_changes',)


def _create_guards() -> None:
    """As migration 0005's create_guards (its PostgreSQL function refuse_history_change)."""
    if op.get_bind().dialect.name == 'sqlite':
        for table in GUARDED:
            for operation in ('UPDATE', 'DELETE'):
                op.execute(
                    f"CREATE TRIGGER tr_{table}_no_{operation.lower()} BEFORE {operation} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only: "
                    f"{operation} refused (history is never rewritten)'); END")
        return
    for table in GUARDED:
        op.execute(f"CREATE TRIGGER tr_{table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_history_change()")
        op.execute(f"CREATE TRIGGER tr_{table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()")


def _drop_guards() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        for table in GUARDED:
            for operation in ('update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_no_{operation}")
        return
    for table in GUARDED:
        op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_no_truncate ON {table}")


def upgrade() -> None:
    op.add_column('users', sa.Column('email', sa.String(length=254), nullable=True))
    op.create_table(
        'target_changes',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('target_on', sa.Date(), nullable=True),
        sa.Column('reason', sa.Text(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_target_changes_actor_id_users')),
        sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'],
                                name=op.f('fk_target_changes_recommendation_id_recommendations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_target_changes')),
    )
    op.create_index(op.f('ix_target_changes_recommendation_id'), 'target_changes',
                    ['recommendation_id'], unique=False)
    op.create_table(
        'milestones',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recommendation_id', sa.Integer(), nullable=False),
        sa.Column('title', sa.String(length=300), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('done_on', sa.Date(), nullable=True),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_milestones_actor_id_users')),
        sa.ForeignKeyConstraint(['recommendation_id'], ['recommendations.id'],
                                name=op.f('fk_milestones_recommendation_id_recommendations')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_milestones')),
    )
    op.create_index(op.f('ix_milestones_recommendation_id'), 'milestones',
                    ['recommendation_id'], unique=False)
    op.create_table(
        'update_rounds',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('quarter', sa.String(length=7), nullable=False),
        sa.Column('due_on', sa.Date(), nullable=False),
        sa.Column('started_by_id', sa.Integer(), nullable=False),
        sa.Column('started_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['started_by_id'], ['users.id'],
                                name=op.f('fk_update_rounds_started_by_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_update_rounds')),
        sa.UniqueConstraint('quarter', name=op.f('uq_update_rounds_quarter')),
    )
    op.create_table(
        'mail_messages',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=True),
        sa.Column('department_id', sa.Integer(), nullable=True),
        sa.Column('dedupe_key', sa.String(length=160), nullable=True),
        sa.Column('to_addresses', sa.Text(), nullable=False),
        sa.Column('subject', sa.String(length=300), nullable=False),
        sa.Column('body_text', sa.Text(), nullable=False),
        sa.Column('body_html', sa.Text(), nullable=False),
        sa.Column('attachment_name', sa.String(length=200), nullable=True),
        sa.Column('attachment', sa.LargeBinary(), nullable=True),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False, server_default='0'),
        sa.Column('last_attempt_at', sa.DateTime(), nullable=True),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.Column('sent_at', sa.DateTime(), nullable=True),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_mail_messages_department_id_departments')),
        sa.ForeignKeyConstraint(['round_id'], ['update_rounds.id'],
                                name=op.f('fk_mail_messages_round_id_update_rounds')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_mail_messages')),
        sa.UniqueConstraint('dedupe_key', name=op.f('uq_mail_messages_dedupe_key')),
    )
    op.create_index(op.f('ix_mail_messages_round_id'), 'mail_messages', ['round_id'],
                    unique=False)
    op.create_table(
        'round_requests',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('round_id', sa.Integer(), nullable=False),
        sa.Column('department_id', sa.Integer(), nullable=False),
        sa.Column('heads', sa.JSON(), nullable=False),
        sa.Column('numbers', sa.JSON(), nullable=False),
        sa.Column('message_id', sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(['department_id'], ['departments.id'],
                                name=op.f('fk_round_requests_department_id_departments')),
        sa.ForeignKeyConstraint(['message_id'], ['mail_messages.id'],
                                name=op.f('fk_round_requests_message_id_mail_messages')),
        sa.ForeignKeyConstraint(['round_id'], ['update_rounds.id'],
                                name=op.f('fk_round_requests_round_id_update_rounds')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_round_requests')),
        sa.UniqueConstraint('round_id', 'department_id',
                            name='uq_round_requests_round_id_department_id'),
    )
    _create_guards()


def downgrade() -> None:
    from controlling.data.migration_guard import refuse_losing_rows

    refuse_losing_rows('0009', ('round_requests', 'mail_messages', 'update_rounds',
                                'milestones', 'target_changes'), (('users', 'email'),))
    _drop_guards()
    op.drop_table('round_requests')
    op.drop_index(op.f('ix_mail_messages_round_id'), table_name='mail_messages')
    op.drop_table('mail_messages')
    op.drop_table('update_rounds')
    op.drop_index(op.f('ix_milestones_recommendation_id'), table_name='milestones')
    op.drop_table('milestones')
    op.drop_index(op.f('ix_target_changes_recommendation_id'), table_name='target_changes')
    op.drop_table('target_changes')
    op.drop_column('users', 'email')
