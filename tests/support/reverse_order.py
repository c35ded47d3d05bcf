"""pytest plugin that runs the collected tests in reverse order (`-p reverse_order`, with tests/support on the
Python path). scripts/repeat_parallel.sh runs one copy of a suite this way next to a copy in the normal order, so a
test that passes only after another one has run, or that collides with another run of itself, fails."""


def pytest_collection_modifyitems(session, config, items):
    items.reverse()
