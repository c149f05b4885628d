import pytest


@pytest.fixture(autouse=True)
def attempts_inside_the_task(settings):
    """These tests check what one attempt does: the batch worker makes each inside its task, so it is done on return.

    tests/webhooks/test_concurrency.py turns the pool on.
    """
    settings.WEBHOOKS_CONCURRENT_ATTEMPTS = 0
