"""The CPU latency request: what keeps idle CPUs quick to wake while the app is in use (off by default)."""

from __future__ import annotations

import os
import struct

CPU_LATENCY_DEVICE = "/dev/cpu_dma_latency"


class CpuLatencyRequest:
    """While held, the kernel keeps every CPU out of idle states slower to wake than `us` microseconds.

    Linux's CPU latency QoS: the request stands while /dev/cpu_dma_latency is open with the value
    written to it, and ends when the file is closed (or the process dies). With 0, an idle CPU
    polls instead of halting. That matters on a virtual machine: a halted virtual CPU is handed
    back to its host, and a thread woken on it waits until the host runs it again (16-40 ms
    blocks of the GUI thread were measured here). The cost is an idle CPU that spins while it is
    held, so the app holds it only while the user draws or types. The file is root's on most
    systems; where it cannot be opened, `why_not` says why and holding does nothing.
    """

    def __init__(self, us: int = 0, path: str = CPU_LATENCY_DEVICE) -> None:
        self.us, self.path = us, path
        self._fd: int | None = None
        self.why_not: str | None = None

    @property
    def held(self) -> bool:
        return self._fd is not None

    def hold(self) -> bool:
        """Stand the request (if it is not already); False where it cannot be."""
        if self._fd is not None:
            return True
        if self.why_not is not None:  # tried and refused: do not retry on every pen move
            return False
        try:
            fd = os.open(self.path, os.O_WRONLY)
        except FileNotFoundError:
            self.why_not = f"{self.path} does not exist (not Linux, or no CPU latency QoS)"
            return False
        except PermissionError:
            self.why_not = f"no permission to write {self.path} (it is usually root's)"
            return False
        except OSError as e:
            self.why_not = f"cannot open {self.path}: {e.strerror or e}"
            return False
        try:
            os.write(fd, struct.pack("i", self.us))  # a 32-bit int, in the machine's byte order
        except OSError as e:
            os.close(fd)
            self.why_not = f"{self.path} refused the request: {e.strerror or e}"
            return False
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None

    def __del__(self) -> None:
        self.release()
