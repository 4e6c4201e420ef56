"""What a downgrade may not do silently: drop rows. Used by the migrations' `downgrade()`.

A downgrade that would drop tables or columns holding data refuses, naming what would be lost,
unless forced: `alembic -x force=yes downgrade REV` on the command line, or
`config.attributes["force"] = True` in-process (the tests). An empty database downgrades
freely. Plain SQL on the migration's connection (the schema is the migration's, not the
model's).
"""

from collections.abc import Sequence

FORCE_HINT = ("Vorher mit 'controlling export all' sichern; erzwingen mit 'alembic -x "
              "force=yes downgrade ...'.")


def forced() -> bool:
    from alembic import context, op

    config = op.get_context().config
    if config is not None and config.attributes.get("force"):
        return True
    return str(context.get_x_argument(as_dictionary=True).get("force", "")).lower() in (
        "1", "yes", "true", "ja")


def refuse_losing_rows(revision: str, tables: Sequence[str] = (),
                       columns: Sequence[tuple[str, str]] = ()) -> None:
    """Refuse (DomainError) when `tables` hold rows or `columns` (table, column) hold values
    that the downgrade below `revision` would drop; nothing when forced or all are empty."""
    import sqlalchemy as sa
    from alembic import op

    bind = op.get_bind()
    lost = []
    for table in tables:
        rows = bind.execute(sa.text(f'SELECT count(*) FROM "{table}"')).scalar()
        if rows:
            lost.append(f"{table} ({rows} Zeilen)")
    for table, column in columns:
        rows = bind.execute(sa.text(
            f'SELECT count(*) FROM "{table}" WHERE "{column}" IS NOT NULL')).scalar()
        if rows:
            lost.append(f"{table}.{column} ({rows} Werte)")
    if lost and not forced():
        from controlling.domain.errors import DomainError

        raise DomainError(f"Zurück vor Schema-Stand {revision} würde Daten löschen: "
                          f"{', '.join(lost)}; abgelehnt. {FORCE_HINT}")


def protect_tables(tables: Sequence[str]) -> None:
    """Make history tables append-only in the database, as migration 0005 does (its
    PostgreSQL function refuse_history_change() must exist): triggers refuse UPDATE and
    DELETE, on PostgreSQL TRUNCATE too. For the migrations after 0009 that add history."""
    from alembic import op

    if op.get_bind().dialect.name == "sqlite":
        for table in tables:
            for operation in ("UPDATE", "DELETE"):
                op.execute(
                    f"CREATE TRIGGER tr_{table}_no_{operation.lower()} BEFORE {operation} "
                    f"ON {table} BEGIN SELECT RAISE(ABORT, '{table} is append-only: "
                    f"{operation} refused (history is never rewritten)'); END")
        return
    for table in tables:
        op.execute(f"CREATE TRIGGER tr_{table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                   "FOR EACH ROW EXECUTE FUNCTION refuse_history_change()")
        op.execute(f"CREATE TRIGGER tr_{table}_no_truncate BEFORE TRUNCATE ON {table} "
                   "FOR EACH STATEMENT EXECUTE FUNCTION refuse_history_change()")


def unprotect_tables(tables: Sequence[str]) -> None:
    """Drop the triggers of `protect_tables` (a downgrade)."""
    from alembic import op

    if op.get_bind().dialect.name == "sqlite":
        for table in tables:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_no_{operation}")
        return
    for table in tables:
        op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_append_only ON {table}")
        op.execute(f"DROP TRIGGER IF EXISTS tr_{table}_no_truncate ON {table}")
