"""Backups: a consistent copy of the database, a restore, and per-table fingerprints that
prove the restore holds what the backup held."""
