"""Running actions at the same moment, each in its own thread with its own database connection."""

import threading

from django.db import connection


def at_once(*actions):
    """Run each action in its own thread, released together; return each one's result or error."""
    start = threading.Barrier(len(actions))
    outcomes = [None] * len(actions)

    def run(index, action):
        try:
            start.wait()
            outcomes[index] = action()
        except Exception as exc:  # noqa: BLE001 - the test asserts on what each caller got
            outcomes[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, action)) for i, action in enumerate(actions)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return outcomes
