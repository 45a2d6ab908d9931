"""Where mail goes: an SMTP server (production), the console or a folder (development)."""

from __future__ import annotations

import smtplib
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

Send = Callable[[EmailMessage], None]


class SMTPBackend:
    def __init__(self, config: Any) -> None:
        self.config = config

    @contextmanager
    def session(self) -> Iterator[Send]:
        c = self.config
        cls = smtplib.SMTP_SSL if c["SMTP_SSL"] else smtplib.SMTP
        with cls(c["SMTP_HOST"], int(c["SMTP_PORT"]), timeout=float(c["SMTP_TIMEOUT"])) as smtp:
            if c["SMTP_STARTTLS"] and not c["SMTP_SSL"]:
                smtp.starttls()
            if c["SMTP_USERNAME"]:
                smtp.login(c["SMTP_USERNAME"], c["SMTP_PASSWORD"])

            def send(message: EmailMessage) -> None:
                smtp.send_message(message)

            yield send


class ConsoleBackend:
    @contextmanager
    def session(self) -> Iterator[Send]:
        def send(message: EmailMessage) -> None:
            text = message.get_body(("plain",))
            sys.stdout.write(
                "\n".join(
                    [
                        "-" * 72,
                        f"Mail to {message['To']}: {message['Subject']}",
                        f"Message-ID: {message['Message-ID']}",
                        "",
                        text.get_content() if text is not None else "",
                        "-" * 72,
                        "",
                    ]
                )
            )
            sys.stdout.flush()

        yield send


class FolderBackend:
    def __init__(self, folder: Path) -> None:
        self.folder = folder

    @contextmanager
    def session(self) -> Iterator[Send]:
        self.folder.mkdir(parents=True, exist_ok=True)

        def send(message: EmailMessage) -> None:
            name = message["Message-ID"].strip("<>").replace("@", "_") + ".eml"
            (self.folder / name).write_bytes(bytes(message))

        yield send


def backend_for(app: Any) -> Any:
    kind = app.config["MAIL_BACKEND"]
    if kind == "smtp":
        return SMTPBackend(app.config)
    if kind == "console":
        return ConsoleBackend()
    if kind == "folder":
        folder = app.config["MAIL_FOLDER"] or str(Path(app.instance_path) / "mail")
        return FolderBackend(Path(folder))
    raise RuntimeError(f"unknown MAIL_BACKEND {kind!r} (smtp, console or folder)")
