"""ARCHITECTURE.md stays true: the paths it names exist, and its features are the registry's."""

import re

from handlers.registry import FEATURES
from tests.support import ROOT

ARCHITECTURE = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")


def test_every_path_it_names_exists() -> None:
    named = set(re.findall(r"`((?:skill|handlers|content|infra|tests|bench)/[\w./]*)`", ARCHITECTURE))
    concrete = {path.rstrip("/") for path in named if "<" not in path}
    assert concrete, "the page names no paths"
    assert not [path for path in concrete if not (ROOT / path).exists()]


def test_its_feature_table_is_the_registry_in_dispatch_order() -> None:
    listed = re.findall(r"^\| `(\w+)` \| `handlers/", ARCHITECTURE, flags=re.MULTILINE)
    assert listed == [feature.name for feature in FEATURES]


def test_it_marks_conversational_features_as_the_registry_does() -> None:
    rows = dict(
        re.findall(r"^\| `(\w+)` \| `handlers/[\w./]+` \| (yes|no) \|", ARCHITECTURE, flags=re.MULTILINE)
    )
    assert rows == {feature.name: "yes" if feature.conversational else "no" for feature in FEATURES}
