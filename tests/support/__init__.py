"""What test modules share: the only module of tests/ they may import (tests/test_imports.py checks it).

aws: moto, our stack deployed once a session, DynamoDB calls recorded and failed.
household: the household driver, the Alexa accounts of a test, and what tests read back.
lambda_runtime: Lambda's context object and its SQS poller, for the purge queue."""

from tests.support.aws import (
    FAULTS,
    REGION,
    ROOT,
    TEMPLATE,
    DynamoDbCalls,
    SharedAws,
    Stack,
    cold_start,
    deploy_stack,
    dynamodb_hooks,
    household_items,
    source_zip,
    table_name,
    unprocessed_batches,
    wire_faults,
)
from tests.support.household import (
    MAX_SPEECH_CHARS,
    SAM,
    Accounts,
    Household,
    Reply,
    check_response_envelope,
    check_ssml,
    logged,
    name_voice,
    read_to_the_end,
    run_chat,
    stored,
    voice,
)
from tests.support.lambda_runtime import LambdaContext, SqsPoller

__all__ = [
    "FAULTS",
    "MAX_SPEECH_CHARS",
    "REGION",
    "ROOT",
    "SAM",
    "TEMPLATE",
    "Accounts",
    "DynamoDbCalls",
    "Household",
    "LambdaContext",
    "Reply",
    "SharedAws",
    "SqsPoller",
    "Stack",
    "check_response_envelope",
    "check_ssml",
    "cold_start",
    "deploy_stack",
    "dynamodb_hooks",
    "household_items",
    "logged",
    "name_voice",
    "read_to_the_end",
    "run_chat",
    "source_zip",
    "stored",
    "table_name",
    "unprocessed_batches",
    "voice",
    "wire_faults",
]
