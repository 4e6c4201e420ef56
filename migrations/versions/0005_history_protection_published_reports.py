"""history append-only in the database; published quarterly reports

Hand-written (autogenerate sees neither triggers nor functions):

1. Triggers refuse UPDATE and DELETE (and on PostgreSQL TRUNCATE) on every history table, so
   plain SQL and SQLAlchemy bulk statements cannot rewrite history either (the ORM guard in
   models.py stays as the first line). SQLite: BEFORE UPDATE / BEFORE DELETE triggers with
   RAISE(ABORT); PostgreSQL: one plpgsql function `refuse_history_change()` used by a row
   trigger (UPDATE, DELETE) and a statement trigger (TRUNCATE) per table. The message names the
   table and says "append-only". A superuser can still disable triggers: docs/integrity.md
   says how a city runs the program as a role that owns nothing.
2. New table published_reports: a quarterly report as the committee received it (figures as
   JSON, the PDF bytes, their SHA-256, who published it, when, and the moment it was known as
   of); one per quarter; protected like the history.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02 06:45:00

"""
from collections.abc import Sequence

from alembic import op
import sqlalchemy as sa


revision: str = '0005'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

HISTORY_TABLES = (
    'status_changes', 'progress_updates', 'measure_changes', 'suggestion_outcomes',
    'supersessions', 'editions', 'edition_items', 'sign_ins', 'account_events',
    'published_reports',
)


def create_guards(tables: Sequence[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for table in tables:
            for operation in ('UPDATE', 'DELETE'):
                op.execute(
                    f"CREATE TRIGGER tr_{table}_no_{operation.lower()} BEFORE {operation} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only: "
                    f"{operation} refused (history is never rewritten)'); END")
        return
    op.execute(
        "CREATE OR REPLACE FUNCTION refuse_history_change() RETURNS trigger AS $$ BEGIN "
        "RAISE EXCEPTION '% is append-only: % refused (history is never rewritten)', "
        "TG_TABLE_NAME, TG_OP USING ERRCODE = 'insufficient_privilege'; END $$ "
        "LANGUAGE plpgsql")
    for table in tables:
        op.execute(f"CREATE TRIGGER tr_{table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_history_change()")
        op.execute(f"CREATE TRIGGER tr_{table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()")


def drop_guards(tables: Sequence[str]) -> None:
    bind = op.get_bind()
    if bind.dialect.name == 'sqlite':
        for table in tables:
            for operation in ('update', 'delete'):
                op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_no_{operation}")
        return
    for table in tables:
        op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_no_truncate ON {table}")


def upgrade() -> None:
    op.create_table(
        'published_reports',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=32), nullable=False),
        sa.Column('period', sa.String(length=16), nullable=False),
        sa.Column('known_at', sa.DateTime(), nullable=False),
        sa.Column('published_at', sa.DateTime(), nullable=False),
        sa.Column('actor_id', sa.Integer(), nullable=False),
        sa.Column('data', sa.JSON(), nullable=False),
        sa.Column('data_sha256', sa.String(length=64), nullable=False),
        sa.Column('pdf', sa.LargeBinary(), nullable=False),
        sa.Column('pdf_sha256', sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(['actor_id'], ['users.id'],
                                name=op.f('fk_published_reports_actor_id_users')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_published_reports')),
        sa.UniqueConstraint('kind', 'period', name='uq_published_reports_kind_period'),
    )
    create_guards(HISTORY_TABLES)


def downgrade() -> None:
    rows = op.get_bind().execute(sa.text("SELECT count(*) FROM published_reports")).scalar()
    if rows:
        from controlling.domain.errors import DomainError

        raise DomainError(
            f"Zurück vor Schema-Stand 0005 würde {rows} veröffentlichte Berichte löschen: "
            "abgelehnt (veröffentlichte Berichte ändern sich nie).")
    drop_guards(HISTORY_TABLES)
    if op.get_bind().dialect.name != 'sqlite':
        op.execute("DROP FUNCTION IF EXISTS refuse_history_change()")
    op.drop_table('published_reports')
