"""An embedded DynamoDB for the console: moto in this process, its items kept in a file between runs."""

import json
import os
from pathlib import Path
from typing import Any

import boto3
from moto import mock_aws

from skill.store.table import ATTRIBUTE_DEFINITIONS, KEY_SCHEMA

LOCAL_TABLE = "closer-together-local"
LOCAL_REGION = "us-east-1"


class LocalTable:
    """Start moto, create our table and fill it from `state_file`; `save` writes every item back."""

    def __init__(self, state_file: Path) -> None:
        self.state_file = state_file
        self._mock = mock_aws()

    def __enter__(self) -> "LocalTable":
        for name, value in {
            "AWS_ACCESS_KEY_ID": "local",
            "AWS_SECRET_ACCESS_KEY": "local",
            "AWS_DEFAULT_REGION": LOCAL_REGION,
        }.items():
            os.environ.setdefault(name, value)
        self._mock.start()
        self.client = boto3.client("dynamodb", region_name=LOCAL_REGION)
        self.client.create_table(
            TableName=LOCAL_TABLE,
            KeySchema=KEY_SCHEMA,
            AttributeDefinitions=ATTRIBUTE_DEFINITIONS,
            BillingMode="PAY_PER_REQUEST",
        )
        for item in self._load():
            self.client.put_item(TableName=LOCAL_TABLE, Item=item)
        return self

    def _load(self) -> list[dict[str, Any]]:
        if not self.state_file.exists():
            return []
        return json.loads(self.state_file.read_text(encoding="utf-8"))

    def save(self) -> None:
        """Write the whole table to the state file (a Scan is fine here: this is the simulator's disk)."""
        items: list[dict[str, Any]] = []
        for page in self.client.get_paginator("scan").paginate(TableName=LOCAL_TABLE):
            items.extend(page["Items"])
        self.state_file.parent.mkdir(parents=True, exist_ok=True)
        self.state_file.write_text(json.dumps(items, indent=1, ensure_ascii=False), encoding="utf-8")

    def __exit__(self, *exc_info: object) -> None:
        self._mock.stop()
