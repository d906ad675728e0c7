"""Work handed to a new Python process: validation's part checkers, the build's page.

New processes of this interpreter, neither forked (a fork's resident set counts the
caller's memory again) nor started through multiprocessing (whose new processes import
the caller's main script again, which breaks a script without a main guard). They import
kg as a new ``python`` in this environment does, run one function of kg on arguments
that are JSON values, and a failure comes back as one line. The arguments go through the
process's standard input, so a process can be started before they are known
(:func:`start_ahead`): it imports its function's module (0.5 s for the page's) and does
what it can with the arguments known at its start while the caller works out the others.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from typing import IO, Any

from kg.errors import KGError

__all__ = ["Process", "arguments_later", "start", "start_ahead"]


class Process:
    """A started process: :meth:`wait` for it, or :meth:`stop` it."""

    def __init__(self, what: str, popen: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        self.what = what
        self._popen = popen
        self._errors = errors

    def give(self, arguments: Sequence[Any]) -> None:
        """Its arguments (JSON values), which it has waited for since it started."""
        stdin = self._popen.stdin
        assert stdin is not None
        try:
            stdin.write(json.dumps(list(arguments)).encode("utf-8"))
            stdin.close()
        except BrokenPipeError:  # it ended before: wait() says why
            pass

    def wait(self) -> None:
        """Wait until it ends; raises KGError with the last line it wrote to stderr if it failed."""
        status = self._popen.wait()
        lines: list[str] = []
        if not self._errors.closed:  # closed: stopped, and what it wrote does not matter
            self._errors.seek(0)
            lines = self._errors.read().decode("utf-8", "replace").strip().splitlines()
            self._errors.close()
        if status != 0:
            raise KGError(f"{self.what} failed (status {status}): {(lines or ['no message'])[-1]}")

    def running(self) -> bool:
        return self._popen.poll() is None

    def stop(self) -> None:
        """End it if it still runs."""
        if self._popen.poll() is None:
            self._popen.kill()
            self._popen.wait()
        if self._popen.stdin is not None and not self._popen.stdin.closed:
            self._popen.stdin.close()
        self._errors.close()


def start(
    what: str, function: Callable[[list[str]], None], arguments: Sequence[str], stdout: IO[bytes] | None = None
) -> Process:
    """Run ``function(arguments)`` (a module-level function of kg) in a new process, its
    standard output into ``stdout`` if given; ``what`` names it in errors."""
    process = _popen(what, function, f"{function.__name__}(json.load(sys.stdin))", stdout)
    process.give(arguments)
    return process


def start_ahead(what: str, function: Callable[[list[Any], Callable[[], list[Any]]], None], ahead: list[Any]) -> Process:
    """Run ``function(ahead, later)`` (a module-level function of kg) in a new process:
    ``ahead`` (JSON values) are the arguments known now, and ``later()`` waits for the
    others and returns them (:meth:`Process.give`), so that the process can work on
    the first while the caller works out the others. ``what`` names it in errors."""
    call = f"{function.__name__}(json.loads(sys.argv[1]), kg.process.arguments_later())"
    return _popen(what, function, call, None, json.dumps(ahead))


def arguments_later() -> Callable[[], list[Any]]:
    """In a process :func:`start_ahead` started: a function that waits for the arguments
    :meth:`Process.give` gives and returns them. They are read from standard input in a
    thread from now on, so that giving them never waits for the process to ask: a pipe
    holds 64 KiB, and a rebuild's changed subjects can take more."""
    given: Future[list[Any]] = Future()

    def read() -> None:
        try:
            given.set_result(json.load(sys.stdin))
        except BaseException as error:  # raised where the arguments are asked for
            given.set_exception(error)

    # a daemon: a process that fails before it asks does not wait for its arguments to end
    threading.Thread(target=read, name="kg-arguments", daemon=True).start()
    return given.result


def _popen(what: str, function: Callable[..., None], call: str, stdout: IO[bytes] | None, *argv: str) -> Process:
    code = f"import json, sys, kg.process; from {function.__module__} import {function.__name__}; {call}"
    errors = tempfile.TemporaryFile()  # noqa: SIM115 (the Process closes it) not a pipe: a full one would stop the process
    try:
        popen = subprocess.Popen(
            [sys.executable, "-c", code, *argv], stdin=subprocess.PIPE, stdout=stdout, stderr=errors
        )
    except BaseException:
        errors.close()
        raise
    return Process(what, popen, errors)
