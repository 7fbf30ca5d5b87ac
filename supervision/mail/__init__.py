"""Outgoing mail: an outbox table, delivered by `flask mail send`."""
