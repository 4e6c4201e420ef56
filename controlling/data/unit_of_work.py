"""Unit of work: one transaction per command, rolled back unless `commit()` is called."""

from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from controlling.data.chain import ChainedSession
from controlling.data.repositories import Repository
from controlling.domain.errors import StaleEdit


class UnitOfWork:
    def __init__(self, engine: Engine):
        # ChainedSession: the history rows of the transaction join the history chain on commit
        self._factory = sessionmaker(bind=engine, class_=ChainedSession, expire_on_commit=False)
        self.session: Session | None = None
        self.repo: Repository | None = None

    def __enter__(self) -> "UnitOfWork":
        self.session = self._factory()
        self.repo = Repository(self.session)
        return self

    def __exit__(self, *exc_info) -> None:
        self.rollback()
        self.session.close()

    def flush(self) -> None:
        try:
            self.session.flush()
        except StaleDataError:
            self.session.rollback()
            raise StaleEdit("Die Empfehlung") from None

    def commit(self) -> None:
        try:
            self.session.commit()
        except StaleDataError:
            self.session.rollback()
            raise StaleEdit("Die Empfehlung") from None

    def rollback(self) -> None:
        self.session.rollback()
