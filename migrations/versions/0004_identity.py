"""proven identity: passwords, tokens, web sessions, sign-in log, account events

Hand-written parts:

1. Logins are unique regardless of case: a unique index on lower(login), which SQLite and
   PostgreSQL both support (autogenerate skips such expression indexes). A database whose
   logins already differ only by case is refused with the list of them, before anything is
   changed: which of two accounts is the real one is for an admin to decide, not a migration.
2. The new user columns are added with plain ALTER TABLE ADD COLUMN and dropped with plain
   ALTER TABLE DROP COLUMN (no batch rebuild of `users`, which every history table refers
   to); the NOT NULL ones carry a server default.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 06:00:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0004'
down_revision: str | None = '0003'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _refuse_case_duplicates() -> None:
    rows = op.get_bind().execute(sa.text(
        "SELECT lower(login) FROM users GROUP BY lower(login) HAVING count(*) > 1")).all()
    if rows:
        from controlling.domain.errors import DomainError

        names = ", ".join(sorted(r[0] for r in rows))
        raise DomainError(
            "Die Datenbank hat Logins, die sich nur in Groß- und Kleinschreibung unterscheiden "
            f"({names}); bitte zuerst mit der älteren Version bereinigen.")


def upgrade() -> None:
    _refuse_case_duplicates()
    op.add_column('users', sa.Column('password_hash', sa.String(length=200), nullable=True))
    op.add_column('users', sa.Column('password_is_initial', sa.Boolean(), nullable=False,
                                     server_default=sa.false()))
    op.add_column('users', sa.Column('password_changed_at', sa.DateTime(), nullable=True))
    op.add_column('users', sa.Column('active', sa.Boolean(), nullable=False,
                                     server_default=sa.true()))
    op.add_column('users', sa.Column('deactivated_at', sa.DateTime(), nullable=True))
    op.create_index('ix_users_login_lower', 'users', [sa.text('lower(login)')], unique=True)

    op.create_table(
        'api_tokens',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('name', sa.String(length=120), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('expires_on', sa.Date(), nullable=False),
        sa.Column('revoked_at', sa.DateTime(), nullable=True),
        sa.Column('revoked_reason', sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_api_tokens_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash')),
    )
    op.create_index(op.f('ix_api_tokens_user_id'), 'api_tokens', ['user_id'], unique=False)

    op.create_table(
        'web_sessions',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('key_hash', sa.String(length=64), nullable=False),
        sa.Column('csrf_token', sa.String(length=64), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('last_seen_at', sa.DateTime(), nullable=False),
        sa.Column('ended_at', sa.DateTime(), nullable=True),
        sa.Column('ended_reason', sa.String(length=120), nullable=True),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_web_sessions_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_web_sessions')),
        sa.UniqueConstraint('key_hash', name=op.f('uq_web_sessions_key_hash')),
    )
    op.create_index(op.f('ix_web_sessions_user_id'), 'web_sessions', ['user_id'], unique=False)

    op.create_table(
        'sign_ins',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.Column('login', sa.String(length=120), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=True),
        sa.Column('channel', sa.String(length=16), nullable=False),
        sa.Column('outcome', sa.String(length=32), nullable=False),
        sa.Column('address', sa.String(length=64), nullable=True),
        sa.Column('detail', sa.String(length=300), nullable=True),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_sign_ins_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_sign_ins')),
    )
    op.create_index(op.f('ix_sign_ins_recorded_at'), 'sign_ins', ['recorded_at'], unique=False)
    op.create_index(op.f('ix_sign_ins_login'), 'sign_ins', ['login'], unique=False)

    op.create_table(
        'account_events',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('user_id', sa.Integer(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=True),
        sa.Column('action', sa.String(length=32), nullable=False),
        sa.Column('detail', sa.String(length=300), nullable=True),
        sa.Column('recorded_at', sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_account_events_actor_id_users')),
        sa.ForeignKeyConstraint(['user_id'], ['users.id'],
                                name=op.f('fk_account_events_user_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_account_events')),
    )
    op.create_index(op.f('ix_account_events_user_id'), 'account_events', ['user_id'],
                    unique=False)


def downgrade() -> None:
    from controlling.data.migration_guard import refuse_losing_rows

    refuse_losing_rows('0004', ('account_events', 'sign_ins', 'web_sessions', 'api_tokens'),
                       (('users', 'password_hash'), ('users', 'deactivated_at')))
    op.drop_index(op.f('ix_account_events_user_id'), table_name='account_events')
    op.drop_table('account_events')
    op.drop_index(op.f('ix_sign_ins_login'), table_name='sign_ins')
    op.drop_index(op.f('ix_sign_ins_recorded_at'), table_name='sign_ins')
    op.drop_table('sign_ins')
    op.drop_index(op.f('ix_web_sessions_user_id'), table_name='web_sessions')
    op.drop_table('web_sessions')
    op.drop_index(op.f('ix_api_tokens_user_id'), table_name='api_tokens')
    op.drop_table('api_tokens')
    op.drop_index('ix_users_login_lower', table_name='users')
    # Plain ALTER TABLE DROP COLUMN (SQLite 3.35+), like the upgrade: a batch rebuild of
    # `users` would drop the table every history table refers to, which SQLite refuses while
    # foreign keys are enforced.
    for column in ('deactivated_at', 'active', 'password_changed_at', 'password_is_initial',
                   'password_hash'):
        op.drop_column('users', column)
