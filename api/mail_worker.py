"""The server's own mail loop, for a platform without Celery (no `REDIS_URL`).

`stagebureau serve` starts one thread that runs `api.services.outbox.run_outbox` every
`outbox_interval_s`: deadline reminders queued, due mail sent. With Redis, Celery beat runs the
same function instead (`api.celery_app`); from cron, `stagebureau outbox send` does. Several
of them at once are safe: the sender's claims keep each mail to one of them.
"""

from __future__ import annotations

import logging
import threading

from sqlalchemy import Engine

from api.services.outbox import run_outbox
from api.settings import Settings

log = logging.getLogger(__name__)


class MailThread:
    """Runs the mail loop in the background until `stop`; a failed turn is logged and the next
    one tries again (the rows it did not send are still in the outbox)."""

    def __init__(self, engine: Engine, settings: Settings) -> None:
        self.engine, self.settings = engine, settings
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="stagebureau-mail", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=self.settings.smtp_timeout_s + 5)

    def _loop(self) -> None:
        while not self._stop.wait(self.settings.outbox_interval_s):
            try:
                run_outbox(self.engine, self.settings)
            except Exception:
                log.exception("the mail loop failed this turn; it tries again")
