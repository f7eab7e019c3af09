"""A helper program that stays up for a whole build and answers requests over a pipe.

pandoc (pipeline/lua/server.lua) and the Typst workers (pipeline/typst_worker.py)
speak the same small protocol: a request is a line of JSON followed by the
bytes it announces ("size"); an answer is a line "ok N" or "error N"
followed by N bytes; "ok N last" or "error N last" when the child ends
after this answer. One start per build instead of one per document.

A child may have a scratch folder of its own (pipeline/scratch.py) as its
TMPDIR, removed when it stops (and by the child itself at the end of its
input, when the build died); its standard error goes to a file read only
when it dies, so a chatty child can never fill a pipe and stall the build.
"""

from __future__ import annotations

import json
import os
import select
import subprocess
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from .scratch import scratch_folder


def timeout_seconds(default: float) -> float:
    """How long an external program may run: BEREDNING_TIMEOUT (seconds) when set, for slow machines."""
    try:
        return float(os.environ.get("BEREDNING_TIMEOUT", default))
    except ValueError:
        return default


def tool_environment() -> dict[str, str]:
    """The environment for an external program: ours, with a UTF-8 locale whatever ours is.

    Under `LC_ALL=C`, or with no locale installed, pandoc would read and write
    Swedish letters wrongly; C.UTF-8 exists on every system.
    """
    environment = {key: value for key, value in os.environ.items() if not key.startswith("LC_")}
    environment.update(LC_ALL="C.UTF-8", LANG="C.UTF-8")
    environment.pop("LANGUAGE", None)
    return environment


class ChildEnded(Exception):
    """The child itself ended (not a request's error, which it answers)."""

    def __init__(self, code: int | None, said: str):
        super().__init__(said)
        self.code, self.said = code, said


class Child:
    def __init__(self, command: list[str], environment: dict[str, str], kind: str | None):
        """`kind`: the name of the child's scratch folder, its TMPDIR (none when None)."""
        self._command, self._environment, self._kind = command, environment, kind
        self._process: subprocess.Popen | None = None
        self._resources = ExitStack()
        self._errors: Any = None
        self._buffer = bytearray()  # grows by appending: a 12 MB PDF comes in 64 kB pieces
        self.scratch: Path | None = None

    def request(self, header: dict[str, Any], given: bytes, seconds: float) -> tuple[bool, bytes]:
        """(answered ok, the answer's bytes); `TimeoutError` after `seconds` (the child is then stopped),
        `ChildEnded` if it died."""
        process = self.running()
        line = json.dumps({**header, "size": len(given)}, ensure_ascii=False).encode("utf-8")
        deadline = time.monotonic() + seconds
        try:
            process.stdin.write(line + b"\n" + given)
            process.stdin.flush()
            status, size, *last = self._line(process, deadline).split(b" ")
            body = self._exactly(process, int(size), deadline)
        except TimeoutError:
            self.stop(at_once=True)  # it hangs: waiting for it to end would hang too
            raise
        except (OSError, ValueError, EOFError) as error:
            raise self._ended(process, error) from error
        if last == [b"last"]:
            self.stop()  # it ends itself now (pipeline/typst_worker.py); the next request starts another
        return status == b"ok", body

    def running(self) -> subprocess.Popen:
        """The process, started now if it is not running (it may end itself between requests)."""
        if self._process is None or self._process.poll() is not None:
            self.stop()
            environment = dict(self._environment)
            if self._kind:
                self.scratch = self._resources.enter_context(scratch_folder(self._kind))
                environment["TMPDIR"] = str(self.scratch)
            self._errors = self._resources.enter_context(tempfile.TemporaryFile())
            self._process = self._start(environment)
        return self._process

    def _start(self, environment: dict[str, str]) -> subprocess.Popen:
        return subprocess.Popen(self._command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self._errors,
                                env=environment)

    def stop(self, at_once: bool = False) -> None:
        """At the end of its input a child stops by itself; one that does not (or any, `at_once`) is killed."""
        process, self._process = self._process, None
        if process is not None:
            if at_once:
                process.kill()
            for stream in (process.stdin, process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._resources.close()
        self._errors, self.scratch, self._buffer = None, None, bytearray()

    def _line(self, process: subprocess.Popen, deadline: float) -> bytes:
        while (end := self._buffer.find(b"\n")) < 0:
            self._more(process, deadline)
        return self._take(end + 1)[:-1]

    def _exactly(self, process: subprocess.Popen, size: int, deadline: float) -> bytes:
        while len(self._buffer) < size:
            self._more(process, deadline)
        return self._take(size)

    def _take(self, size: int) -> bytes:
        taken = bytes(self._buffer[:size])
        del self._buffer[:size]
        return taken

    def _more(self, process: subprocess.Popen, deadline: float) -> None:
        stdout = process.stdout
        ready, _, _ = select.select([stdout], [], [], max(deadline - time.monotonic(), 0))
        if not ready:
            raise TimeoutError
        chunk = os.read(stdout.fileno(), 1 << 20)
        if not chunk:
            raise EOFError("the child ended")
        self._buffer += chunk

    def _ended(self, process: subprocess.Popen, error: Exception) -> ChildEnded:
        code = process.wait()
        try:
            self._errors.seek(0)
            said = self._errors.read()
        except (AttributeError, ValueError, OSError):  # stopped meanwhile by another thread
            said = b""
        self.stop()
        return ChildEnded(code, said.decode("utf-8", "replace").strip() or str(error))
