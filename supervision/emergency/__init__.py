"""Emergency access: a site admin's time-boxed, read-only access to one group."""
