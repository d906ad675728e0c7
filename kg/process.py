"""Work handed to a new Python process: validation's part checkers, the build's page.

New processes of this interpreter, neither forked (a fork's resident set counts the
caller's memory again) nor started through multiprocessing (whose new processes import
the caller's main script again, which breaks a script without a main guard). They import
kg as a new ``python`` in this environment does, run one function of kg on string
arguments, and a failure comes back as one line. The arguments go through the process's
standard input, so a process can be started before they are known: it imports its
function's module (0.5 s for the page's) while the caller works them out.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable, Sequence
from typing import IO

from kg.errors import KGError

__all__ = ["Process", "start"]


class Process:
    """A started process: :meth:`wait` for it, or :meth:`stop` it."""

    def __init__(self, what: str, popen: subprocess.Popen[bytes], errors: IO[bytes]) -> None:
        self.what = what
        self._popen = popen
        self._errors = errors

    def give(self, arguments: Sequence[str]) -> None:
        """Its arguments, which it has waited for since it started."""
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
    what: str,
    function: Callable[[list[str]], None],
    arguments: Sequence[str] | None = None,
    stdout: IO[bytes] | None = None,
) -> Process:
    """Run ``function(arguments)`` (a module-level function of kg) in a new process, its
    standard output into ``stdout`` if given; ``what`` names it in errors. Without
    ``arguments``, the process waits for them (:meth:`Process.give`)."""
    name = function.__name__
    code = f"import json, sys; from {function.__module__} import {name}; {name}(json.load(sys.stdin))"
    errors = tempfile.TemporaryFile()  # noqa: SIM115 (the Process closes it) not a pipe: a full one would stop the process
    try:
        popen = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE, stdout=stdout, stderr=errors)
    except BaseException:
        errors.close()
        raise
    process = Process(what, popen, errors)
    if arguments is not None:
        process.give(arguments)
    return process
