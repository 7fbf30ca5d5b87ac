"""Notification forms: they validate and nothing else."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import Field, RadioField, SelectChoice

from supervision.models import Channel, NotificationEvent
from supervision.notifications.services import default_channel

CHANNEL_CHOICES = [SelectChoice(channel.value, channel.label) for channel in Channel]
HINTS = {
    NotificationEvent.INVITATION: "The invitation itself always comes by email.",
}


class PreferencesForm(FlaskForm):
    """One choice per event (a field named after the event's value)."""

    def channels(self) -> dict[NotificationEvent, Channel]:
        return {event: Channel(self[event.value].data) for event in NotificationEvent}

    def event_fields(self) -> list[Field]:
        return [self[event.value] for event in NotificationEvent]


# Only a listed channel is taken (the choices are checked); a field left out keeps its value.
for _event in NotificationEvent:
    setattr(
        PreferencesForm,
        _event.value,
        RadioField(
            _event.label,
            choices=CHANNEL_CHOICES,
            default=default_channel(_event).value,
            description=HINTS.get(_event),
        ),
    )
