"""The worker-thread prefetch the bulk loaders (imports, the synthetic registry) use."""

import threading

import pytest

from timpora.lib.prefetch import prefetched


def test_prefetched_yields_every_item_in_order():
    assert list(prefetched(iter(range(50)), depth=2)) == list(range(50))


def test_prefetched_raises_the_producers_error_where_it_happened():
    def items():
        yield 1
        yield 2
        raise ValueError("row 3 is unreadable")

    seen = []
    with pytest.raises(ValueError, match="row 3"):
        for item in prefetched(items()):
            seen.append(item)
    assert seen == [1, 2]


def test_prefetched_stops_its_producer_when_the_consumer_stops():
    produced = []

    def items():
        for i in range(1000):
            produced.append(i)
            yield i

    consumer = prefetched(items(), depth=1, name="test-prefetch")
    assert next(consumer) == 0
    consumer.close()  # the consumer gives up (an error, a kill)
    assert not any(t.name == "test-prefetch" for t in threading.enumerate())
    assert len(produced) <= 3  # the producer did not run on through the file
