"""Content has two forms: the pydantic models that validate the data files (content/schema.py, at build and
test time) and the frozen dataclasses the Lambda reads them into (no validation library on a cold start).
They must agree, field for field and value for value, or a line validated here is not the line spoken."""

import dataclasses
import json
import subprocess
import sys
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any, Union, get_args, get_origin, get_type_hints

import pytest
from pydantic import BaseModel, ValidationError

from content import phrases, schema
from content.checkin import checkin_content
from content.love import love_content
from content.monthly import monthly_content
from content.questions import question_bank
from content.schema import VALIDATED, CheckInContent, LoveContent, MonthlyContent, Phrases, QuestionBank
from infra.package import build_zip
from tests.support import ROOT

RUNTIME_LOADERS: dict[type[BaseModel], Callable[[], Any]] = {
    Phrases: phrases,
    CheckInContent: checkin_content,
    QuestionBank: question_bank,
    MonthlyContent: monthly_content,
    LoveContent: love_content,
}


def shape(annotation: Any) -> Any:
    """A field's type as a comparable value: records by class name with their fields (and which of those
    may be left out), tuples, optionals, and plain types by name. Works on both forms."""
    if get_origin(annotation) in (Union, types.UnionType):
        [kind] = [arg for arg in get_args(annotation) if arg is not type(None)]
        return ("optional", shape(kind))
    if get_origin(annotation) is tuple:
        return ("tuple", shape(get_args(annotation)[0]))
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        fields = annotation.model_fields
        return (annotation.__name__, {n: (shape(f.annotation), f.is_required()) for n, f in fields.items()})
    if dataclasses.is_dataclass(annotation):
        hints = get_type_hints(annotation)
        return (
            annotation.__name__,
            {
                field.name: (shape(hints[field.name]), field.default is dataclasses.MISSING)
                for field in dataclasses.fields(annotation)
            },
        )
    return annotation.__name__


def as_json(runtime: Any) -> Any:
    """The runtime form as the JSON values pydantic dumps (tuples as lists, enums as their values)."""
    return json.loads(json.dumps(dataclasses.asdict(runtime)))


@pytest.mark.parametrize(("model", "path"), VALIDATED, ids=[path.name for _, path in VALIDATED])
def test_both_forms_declare_the_same_fields(model: type[BaseModel], path: Any) -> None:
    runtime = RUNTIME_LOADERS[model]()
    assert shape(type(runtime)) == shape(model)


@pytest.mark.parametrize(("model", "path"), VALIDATED, ids=[path.name for _, path in VALIDATED])
def test_both_forms_read_the_same_values_from_the_file(model: type[BaseModel], path: Any) -> None:
    validated = model.model_validate_json(path.read_bytes())
    assert validated.model_dump(mode="json") == as_json(RUNTIME_LOADERS[model]())


def test_every_file_the_runtime_reads_is_validated() -> None:
    assert set(RUNTIME_LOADERS) == {model for model, _ in VALIDATED}
    assert {path.name for _, path in VALIDATED} == {
        *("phrases.json", "checkin.json", "questions.json", "monthly.json", "love.json"),
    }


def test_a_field_only_one_form_has_is_caught() -> None:
    @dataclasses.dataclass(frozen=True)
    class Announcements:
        halfway: str
        end: str
        snooze: str | None = None

    validated = CheckInContent.model_fields["announcements"].annotation
    assert shape(Announcements) != shape(validated)
    assert shape(type(checkin_content().announcements)) == shape(validated)


def test_the_lambda_path_imports_no_validation_library_no_asyncio_and_not_boto3() -> None:
    """Importing the entry, building the skill and reading every content file, as a cold start does.
    boto3 would bring s3transfer and multiprocessing; the store's clients come from botocore itself."""
    script = (
        "import sys\n"
        "import skill.entry\n"
        "from skill.app import build_skill\n"
        "from skill.alexa_api import AlexaApiClient\n"
        "from skill.store import Store\n"
        "from content import phrases\n"
        "from content.checkin import checkin_content\n"
        "from content.questions import question_bank\n"
        "from content.monthly import monthly_content\n"
        "from content.love import love_content\n"
        "build_skill(Store('table'), AlexaApiClient(), 'amzn1.ask.skill.test')\n"
        "phrases(), checkin_content(), question_bank().thirty_six, monthly_content(), love_content()\n"
        "print(' '.join(sorted({name.split('.')[0] for name in sys.modules})))\n"
    )
    loaded = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, check=True, capture_output=True, text=True, timeout=60
    ).stdout.split()
    assert "skill" in loaded and "content" in loaded
    assert {"pydantic", "pydantic_core", "pydantic_settings", "asyncio", "boto3", "s3transfer"} & set(
        loaded
    ) == set()


def test_a_broken_data_file_stops_the_build_before_anything_is_packaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The runtime would read a broken file without complaint, so `closer package` must refuse it."""
    model, path = VALIDATED[1]
    raw = json.loads(path.read_text(encoding="utf-8"))
    raw["lines"]["permission_declined"].pop("reprompt")
    broken = tmp_path / path.name
    broken.write_text(json.dumps(raw), encoding="utf-8")
    monkeypatch.setattr(schema, "VALIDATED", ((model, broken),))
    output = tmp_path / "closer-together.zip"
    with pytest.raises(ValidationError, match="needs a reprompt"):
        build_zip(output)
    assert not output.exists()
