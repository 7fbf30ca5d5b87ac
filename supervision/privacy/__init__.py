"""One's data: the personal-data download, deleting one's account, the retention purge."""
