"""Agreement among raters and with agreed (gold) levels: the statistics (pure) and their reading
of reviews."""
