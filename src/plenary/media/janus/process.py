"""Run an embedded Janus as a child process of ``plenary serve``."""

from __future__ import annotations

import functools
import logging
import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from plenary.core.children import die_with_parent
from plenary.media.janus.config import JanusConfig, write

logger = logging.getLogger(__name__)


class JanusProcessError(RuntimeError):
    """Janus could not be started."""


class JanusProcess:
    """A Janus child with a private configuration folder under ``folder``."""

    def __init__(self, config: JanusConfig, folder: Path, executable: str = "janus"):
        self.config = config
        self.folder = folder
        self.executable = executable
        self._child: subprocess.Popen[bytes] | None = None

    @staticmethod
    def available(executable: str = "janus") -> bool:
        return shutil.which(executable) is not None

    @property
    def pid(self) -> int | None:
        return self._child.pid if self._child else None

    @property
    def running(self) -> bool:
        return self._child is not None and self._child.poll() is None

    def poll(self) -> int | None:
        """The exit status once Janus has exited (``None`` while it runs or before a start)."""
        return self._child.poll() if self._child else None

    def _environment(self) -> dict[str, str]:
        environment = dict(os.environ)
        srtp = self.config.built_srtp
        if srtp is not None:
            logger.info("Janus loads %s", srtp)
            libraries = str(srtp.parent)
            inherited = environment.get("LD_LIBRARY_PATH")
            environment["LD_LIBRARY_PATH"] = f"{libraries}:{inherited}" if inherited else libraries
        return environment

    def start(self, timeout: float = 15.0) -> None:
        """Write the configuration, start Janus and wait until its API port answers."""
        write(self.config, self.folder / "config")
        log = (self.folder / "janus.log").open("ab")
        try:
            self._child = subprocess.Popen(  # noqa: S603 - fixed executable, our own config folder
                [self.executable, "-F", str(self.folder / "config"), "-o", "-L", "/dev/null"],
                env=self._environment(),
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=self.folder,
                start_new_session=True,
                # Janus gets SIGINT (its clean stop) when the server dies.
                preexec_fn=functools.partial(die_with_parent, signal.SIGINT, os.getpid()),  # noqa: PLW1509 - started by the main or supervisor thread
            )
        finally:
            log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self._child.poll() is not None:
                raise JanusProcessError(f"Janus exited at start; see {self.folder / 'janus.log'}")
            try:
                socket.create_connection(("127.0.0.1", self.config.ws_port), 0.2).close()
            except OSError:
                time.sleep(0.05)
            else:
                logger.info("Janus %s started (pid %s)", self.config.url, self._child.pid)
                return
        self.stop()
        raise JanusProcessError("Janus did not open its API port in time")

    def stop(self, timeout: float = 10.0) -> None:
        """Stop Janus cleanly (SIGINT), killing it if it does not exit in time."""
        if self._child is None or self._child.poll() is not None:
            return
        self._child.send_signal(signal.SIGINT)
        try:
            self._child.wait(timeout)
        except subprocess.TimeoutExpired:
            self._child.kill()
            self._child.wait()

    def kill(self) -> None:
        """Kill Janus abruptly (as a crash would); used to test recovery."""
        if self._child is not None and self._child.poll() is None:
            self._child.kill()
            self._child.wait()
