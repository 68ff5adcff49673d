"""Logging as data: every line one JSON object, exceptions included as fields.

Events carry ids, kinds and counts, never spoken text, names or raw user ids."""

import json
import logging
import traceback
from typing import Any

_FIELDS = "fields"


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: level, logger, the event's fields (or the message), and any
    exception as its type and traceback."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {"level": record.levelname, "logger": record.name}
        fields = getattr(record, _FIELDS, None)
        if isinstance(fields, dict):
            line |= fields
        else:
            line["message"] = record.getMessage()
        if record.exc_info and record.exc_info[0] is not None:
            kind, error, trace = record.exc_info
            line["exception"] = {
                "type": kind.__name__,
                "traceback": "".join(traceback.format_exception(kind, error, trace)),
            }
        return json.dumps(line, default=str)


def log_event(
    logger: logging.Logger, event: str, *, level: int = logging.INFO, exc_info: bool = False, **fields: Any
) -> None:
    """Log one event with its fields as data."""
    logger.log(level, event, extra={_FIELDS: {"event": event, **fields}}, exc_info=exc_info)


def use_json_logs(level: str) -> None:
    """Every handler of the root logger (Lambda's own, or a console's) writes JSON lines."""
    root = logging.getLogger()
    if not root.handlers:
        root.addHandler(logging.StreamHandler())
    for handler in root.handlers:
        handler.setFormatter(JsonFormatter())
    root.setLevel(level)
