"""Which engine events concern a lab: its label, or a name it asks the learner to use."""

from __future__ import annotations

from tutor.labs.events import concerns


def test_events_of_the_lab() -> None:
    names = {"web", "notes"}
    labelled = {"Type": "container", "Actor": {"ID": "abc", "Attributes": {"tutor.lab": "lab1", "name": "x"}}}
    assert concerns(labelled, "lab1", names)
    assert not concerns(labelled, "lab2", set())
    by_name = {"Type": "container", "Actor": {"ID": "abc", "Attributes": {"name": "web"}}}
    assert concerns(by_name, "lab2", names)
    volume = {"Type": "volume", "Actor": {"ID": "notes", "Attributes": {"driver": "local"}}}
    assert concerns(volume, "lab2", names)
    other = {"Type": "container", "Actor": {"ID": "abc", "Attributes": {"name": "someone-elses"}}}
    assert not concerns(other, "lab1", names)
    assert not concerns({}, "lab1", names)
