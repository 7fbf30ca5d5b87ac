"""The supervisor's desk: one page across all of one's groups."""
