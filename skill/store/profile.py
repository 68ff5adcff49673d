"""The household's profile (`PROFILE`): partners' names, whether timers are allowed, when first welcomed."""

from dataclasses import dataclass, field

from skill.store.table import Table

PROFILE_SK = "PROFILE"


@dataclass
class Profile:
    """The household's profile: partners' names (by Alexa voice id where known) and timer permission."""

    names_by_person: dict[str, str] = field(default_factory=dict)
    timers_allowed: bool | None = None
    welcomed_at: str | None = None
    partner_names: list[str] = field(default_factory=list)  # names given when Alexa knew no voice

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


class Profiles:
    """The profile record: one GetItem to read, one PutItem to replace."""

    def __init__(self, table: Table) -> None:
        self.table = table

    def load(self, household: str) -> Profile:
        """The household's profile; a household we have never seen gets an empty one."""
        stored = self.table.get(household, PROFILE_SK) or {}
        return Profile(
            names_by_person=dict(stored.get("names_by_person") or {}),
            timers_allowed=stored.get("timers_allowed"),
            welcomed_at=stored.get("welcomed_at"),
            partner_names=[str(name) for name in stored.get("partner_names") or []],
        )

    def save(self, household: str, profile: Profile) -> None:
        """Replace the household's profile."""
        attributes = {
            "names_by_person": profile.names_by_person or None,
            "timers_allowed": profile.timers_allowed,
            "welcomed_at": profile.welcomed_at,
            "partner_names": profile.partner_names or None,
        }
        self.table.put(household, PROFILE_SK, attributes)
