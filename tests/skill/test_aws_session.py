"""The skill's botocore session: its data loader answers for our services exactly as botocore's own
would, so the clients it makes are botocore's clients."""

from pathlib import Path

import pytest
from botocore.config import Config
from botocore.exceptions import UnknownServiceError
from botocore.loaders import Loader

from skill.store.aws import SERVICES, ServicesLoader, aws_client

MODEL_KINDS = ("service-2", "endpoint-rule-set-1", "paginators-1", "waiters-2", "no-such-kind-1")


@pytest.mark.parametrize("kind", MODEL_KINDS)
def test_our_services_are_listed_as_botocore_lists_them(kind: str) -> None:
    everything = Loader().list_available_services(kind)
    assert ServicesLoader().list_available_services(kind) == [name for name in SERVICES if name in everything]


def test_a_model_in_an_extra_data_path_is_found_there(tmp_path: Path) -> None:
    (tmp_path / "sqs" / "2030-01-01").mkdir(parents=True)
    (tmp_path / "sqs" / "2030-01-01" / "custom-1.json").write_text("{}")
    assert ServicesLoader(extra_search_paths=[str(tmp_path)]).list_available_services("custom-1") == ["sqs"]
    assert ServicesLoader().list_available_services("custom-1") == []


def test_clients_of_our_services_are_made_and_of_no_other() -> None:
    assert (
        aws_client("dynamodb", Config(region_name="us-east-1")).meta.service_model.service_name == "dynamodb"
    )
    assert aws_client("sqs", Config(region_name="us-east-1")).meta.service_model.service_name == "sqs"
    with pytest.raises(UnknownServiceError):
        aws_client("s3", Config(region_name="us-east-1"))
