"""Events the site-wide app announces to the apps above it."""

from django.dispatch import Signal

# Sent to collect everything the platform holds about a user (data export,
# GDPR art. 15 and 20): sender=User, user. Each app's receiver returns a dict
# of its sections, e.g. {"attempts": [...]}; learning_platform merges them.
personal_data_export = Signal()

# Sent before a user's account is deleted, inside the deletion's transaction:
# sender=User, user. Each app anonymises or removes what it holds (quizzes
# keep anonymised answers for statistics; badges revoke the awards).
account_deleting = Signal()
