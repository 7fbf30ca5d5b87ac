"""The supervisory relationship: the supervisee's check-ins, the wish to talk, and the pooled
trend a supervisor sees."""
