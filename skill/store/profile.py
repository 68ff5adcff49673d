"""The household's profile (`PROFILE`): partners' names, whether timers are allowed, when first welcomed.

Two Echos of one household may change the profile at once (one names a voice while the other launches), so
a save never replaces what it did not read: the item carries a version, a PutItem succeeds only on the
version it read, and a save that lost the race reads the profile again and applies its own changes to it.
Recognised voices are keyed by a digest of Alexa's personId, as households are by one of the user id.
"""

import copy
import hashlib
from dataclasses import dataclass, field
from typing import Any

from skill.store.table import StoreUnavailableError, Table, condition_failed

PROFILE_SK = "PROFILE"
PERSON_ID_PREFIX = "amzn1.ask.person."  # a raw personId, as profiles stored them before they were hashed
SAVE_ATTEMPTS = 3  # a save that keeps losing races gives up after this many, and says so


def voice_key(person_id: str) -> str:
    """How a recognised voice is known at rest: a digest of Alexa's personId, never the id itself."""
    return hashlib.sha256(person_id.encode("utf-8")).hexdigest()[:32]


@dataclass
class Profile:
    """The household's profile: partners' names (by voice where known) and timer permission.

    `version` is that of the item it was read from (0: none yet); `as_read`, what it held then, so a save
    knows which changes are this turn's own."""

    names_by_person: dict[str, str] = field(default_factory=dict)
    timers_allowed: bool | None = None
    welcomed_at: str | None = None
    partner_names: list[str] = field(default_factory=list)  # names given when Alexa knew no voice
    version: int = 0
    as_read: "Profile | None" = field(default=None, repr=False, compare=False)

    def names(self) -> list[str]:
        """Every name the household has given us, once each (case aside), recognised voices' first."""
        unique: dict[str, str] = {}
        for name in [*self.names_by_person.values(), *self.partner_names]:
            unique.setdefault(name.casefold(), name)
        return list(unique.values())

    def remember_name(self, name: str, person_id: str | None) -> bool:
        """Keep a name: for the recognised voice, else as a partner's name. Whether anything changed."""
        if person_id:
            changed = self.names_by_person.get(person_id) != name
            self.names_by_person[person_id] = name
            return changed
        if name.casefold() in {known.casefold() for known in self.names()}:
            return False
        self.partner_names.append(name)
        return True

    def apply_changes(self, onto: "Profile") -> None:
        """Make on `onto` (read afresh) the changes made to this profile since it was read."""
        before = self.as_read or Profile()
        for person, name in self.names_by_person.items():
            if before.names_by_person.get(person) != name:
                onto.names_by_person[person] = name
        for name in self.partner_names:
            if name not in before.partner_names:
                onto.remember_name(name, None)
        if self.timers_allowed != before.timers_allowed:
            onto.timers_allowed = self.timers_allowed
        if self.welcomed_at != before.welcomed_at and onto.welcomed_at is None:
            onto.welcomed_at = self.welcomed_at


def _voices(stored: object) -> dict[str, str]:
    """Names by voice, with any raw personId a profile still holds replaced by its digest."""
    if not isinstance(stored, dict):
        return {}
    return {
        voice_key(person) if person.startswith(PERSON_ID_PREFIX) else person: str(name)
        for person, name in stored.items()
    }


class Profiles:
    """The profile record: one GetItem to read, one conditional PutItem to save (more only on a race)."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def load(self, household: str) -> Profile:
        """The household's profile; a household we have never seen gets an empty one."""
        stored = self.table.get(household, PROFILE_SK) or {}
        profile = Profile(
            names_by_person=_voices(stored.get("names_by_person")),
            timers_allowed=stored.get("timers_allowed"),
            welcomed_at=stored.get("welcomed_at"),
            partner_names=[str(name) for name in stored.get("partner_names") or []],
            version=int(stored.get("version", 0)),
        )
        profile.as_read = copy.deepcopy(profile)
        return profile

    def save(self, household: str, profile: Profile) -> None:
        """Store the profile's changes since it was read, keeping whatever another turn saved meanwhile.

        Raises StoreUnavailableError if DynamoDB fails, or if the profile changed under us every time."""
        for _ in range(SAVE_ATTEMPTS):
            try:
                self._put(household, profile)
            except StoreUnavailableError as error:
                if not condition_failed(error):
                    raise
                fresh = self.load(household)
                profile.apply_changes(fresh)
                profile = fresh
            else:
                return
        raise StoreUnavailableError("the profile kept changing while it was saved")

    def _put(self, household: str, profile: Profile) -> None:
        """One PutItem of the whole profile, on condition that the stored item is the version read."""
        attributes = {
            "names_by_person": profile.names_by_person or None,
            "timers_allowed": profile.timers_allowed,
            "welcomed_at": profile.welcomed_at,
            "partner_names": profile.partner_names or None,
            "version": profile.version + 1,
        }
        condition: dict[str, Any] = {"ExpressionAttributeNames": {"#version": "version"}}
        if profile.version:
            condition["ConditionExpression"] = "#version = :version"
            condition["ExpressionAttributeValues"] = {":version": {"N": str(profile.version)}}
        else:
            condition["ConditionExpression"] = "attribute_not_exists(#version)"
        self.table.put(household, PROFILE_SK, attributes, **condition)
