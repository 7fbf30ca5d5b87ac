"""Reminders about supervision records: unsigned meeting entries, evaluations due,
agreements awaiting a signature. Features say what is due (``sources``); this package
delivers it once, in the app and by email, with no case text."""
