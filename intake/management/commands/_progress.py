"""Progress output for the intake commands: a bar on a terminal, plain lines otherwise."""

import sys


class Progress:
    def __init__(self, stream, total: int | None, label: str):
        self.stream, self.total, self.label = stream, total, label
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def update(self, done: int) -> None:
        if not self.tty:
            self.stream.write(f"{self.label}: {done}" + (f"/{self.total}" if self.total else ""))
            self.stream.write("\n")
            return
        width = 30
        frac = min(1.0, done / self.total) if self.total else 0
        bar = "#" * int(width * frac) + "-" * (width - int(width * frac))
        sys.stdout.flush()
        self.stream.write(f"\r{self.label} [{bar}] {done}/{self.total or '?'}")
        self.stream.flush()

    def close(self) -> None:
        if self.tty:
            self.stream.write("\n")
