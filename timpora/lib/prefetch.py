"""Produce the next item in a worker thread while the caller works on the current one.

Bulk loaders alternate between Python work (generating or validating a chunk with NumPy or
Arrow) and waiting for the database to store it. Both release the GIL for most of their
time, so on two cores the next chunk can be made while the current one is written.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")


class _Failed:
    """An exception raised by the producer, carried to the consumer."""

    def __init__(self, error: BaseException):
        self.error = error


def prefetched(items: Iterable[T], *, depth: int = 1, name: str = "prefetch") -> Iterator[T]:
    """Yield ``items`` while a worker thread already produces up to ``depth`` more.

    An exception in the producer is raised in the consumer where it would have occurred;
    when the consumer stops early (an error, a kill, ``close()``), the producer stops too
    instead of blocking for ever on a full queue.
    """
    slots: queue.Queue = queue.Queue(maxsize=depth)
    stop = threading.Event()
    end = object()

    def offer(item: object) -> bool:
        """Hand over an item unless the consumer stopped (a full queue would never drain)."""
        while not stop.is_set():
            try:
                slots.put(item, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not offer(item):
                    return
        except BaseException as exc:  # handed to the consumer, raised there
            offer(_Failed(exc))
        else:
            offer(end)

    worker = threading.Thread(target=produce, name=name, daemon=True)
    worker.start()
    try:
        while True:
            item = slots.get()
            if item is end:
                return
            if isinstance(item, _Failed):
                raise item.error
            yield item
    finally:
        stop.set()
        worker.join()
