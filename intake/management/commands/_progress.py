"""Progress output for the intake commands: a redrawn bar on a terminal (rows, rate, ETA),
plain lines otherwise (at most one per ``LINE_SECONDS``, and the last one always)."""

import time

from django.core.management.base import OutputWrapper

TTY_SECONDS = 0.1
LINE_SECONDS = 2.0
WIDTH = 30


def _duration(seconds: float) -> str:
    seconds = int(seconds + 0.5)
    if seconds < 60:
        return f"{seconds}s"
    minutes, seconds = divmod(seconds, 60)
    return f"{minutes}m{seconds:02d}s" if minutes < 60 else f"{minutes // 60}h{minutes % 60:02d}m"


class Progress:
    """``update(done)`` as rows are processed; ``total`` may be set (or changed) at any time,
    e.g. once a counting pass has finished; ``close()`` writes the final state."""

    def __init__(self, stream, total: int | None, label: str, clock=time.monotonic):
        self.stream, self.total, self.label, self.clock = stream, total, label, clock
        self.tty = hasattr(stream, "isatty") and stream.isatty()
        self.started = clock()
        self.last_draw = None
        self.done = 0
        self.drawn = -1

    def restart(self, label: str, total: int | None) -> None:
        """Start a new phase (the rate and ETA restart from now)."""
        if self.done and self.tty:
            self._draw(final=True)
            self._write("\n")
        self.label, self.total, self.done = label, total, 0
        self.started, self.last_draw = self.clock(), None

    def line(self) -> str:
        elapsed = max(self.clock() - self.started, 1e-6)
        rate = self.done / elapsed
        parts = [f"{self.label}: {self.done}" + (f"/{self.total}" if self.total else "")]
        if self.total:
            frac = min(1.0, self.done / self.total)
            filled = int(WIDTH * frac)
            bar = "#" * filled + "-" * (WIDTH - filled)
            eta = (self.total - self.done) / rate if rate else 0
            parts.insert(0, f"[{bar}] {frac:4.0%}")
            parts.append(f"{rate:,.0f} rows/s, ETA {_duration(max(eta, 0))}")
        else:
            parts.append(f"{rate:,.0f} rows/s, {_duration(elapsed)}")
        return " ".join(parts[:-1]) + f" ({parts[-1]})"

    def update(self, done: int) -> None:
        self.done = done
        now = self.clock()
        every = TTY_SECONDS if self.tty else LINE_SECONDS
        recent = self.last_draw is not None and now - self.last_draw < every
        if recent and not (self.total and done >= self.total):
            return
        self.last_draw = now
        self._draw()

    def _write(self, text: str) -> None:
        if isinstance(self.stream, OutputWrapper):  # it would add a newline to each write
            self.stream.write(text, ending="")
        else:
            self.stream.write(text)

    def _draw(self, final: bool = False) -> None:
        self.drawn = self.done
        if self.tty:
            self._write("\r\x1b[2K" + self.line())
            self.stream.flush()
        else:
            self._write(self.line() + "\n")

    def close(self) -> None:
        if self.tty:
            self._draw(final=True)
            self._write("\n")
        elif self.drawn != self.done:
            self._draw(final=True)
