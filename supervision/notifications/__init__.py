"""In-app and email notifications."""
