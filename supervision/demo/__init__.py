"""The clearly marked demo workspace: fictional people, groups and content."""
