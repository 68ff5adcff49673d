"""The Lambda's entry point: `skill.app`'s handler, loaded with the cyclic garbage collector paused.

A cold start builds hundreds of thousands of long-lived objects (modules, the SDKs' models, botocore's
service description for the first DynamoDB client). Collecting while they are built finds nothing to
free and costs about a fifth of the cold start, so the collector waits until the first answer is out,
then treats everything made so far as permanent (`gc.freeze`) and collects as usual from then on.
"""

import gc
from typing import Any

gc.disable()

from skill.app import handler as answer  # noqa: E402  (after the pause, which is the point)
from skill.deadline import LambdaContext  # noqa: E402


def handler(event: dict[str, Any], context: LambdaContext | None) -> dict[str, Any]:
    """The Lambda entry: `skill.app.handler`, and after the container's first answer, the collector on."""
    try:
        return answer(event, context)
    finally:
        if not gc.isenabled():
            gc.freeze()
            gc.enable()
