"""glibc's allocator, told to keep freed memory (stop 51).

By default glibc serves each allocation above its mmap threshold (128 KiB, rising only as such
chunks are freed) with a fresh mmap and gives it back on free, so a forward over a batch of 500
images faults in every activation's pages again, every layer, every sub-network. On this VM a page
fault is expensive (perf: 30-36 % of the torch oracle's time in the kernel's fault path), and how
often it happens depends on the history of the threshold: two oracles of the same benchmark ran
3.5x apart for no visible reason (stops 50 and 51). Measured on four mbconv sub-networks at 2,000
images beside a busy machine: 0.6-2.3 s each with this against 8.8-12.4 s without.

Call `keep_freed_memory()` before torch allocates anything. `KEEP_FREED_MEMORY=0` in the
environment turns it off (training/train_speed.py measures a script both ways).
"""
import os
import ctypes
import ctypes.util

M_TRIM_THRESHOLD, M_TOP_PAD, M_MMAP_MAX = -1, -2, -4


def keep_freed_memory():
    """No mmap for large blocks; freed memory stays in the heap (up to 1 GiB unused before a trim).
    Returns False where the C library is not glibc, or the environment says KEEP_FREED_MEMORY=0
    (nothing changed)."""
    if os.environ.get("KEEP_FREED_MEMORY") == "0":
        return False
    name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(name or "libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(M_MMAP_MAX, 0) and mallopt(M_TRIM_THRESHOLD, 1 << 30) and mallopt(M_TOP_PAD, 64 << 20))
