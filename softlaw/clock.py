"""The one clock: what "today" is for every figure, check and file name (the site's TIME_ZONE,
UTC by default). Everything that asks for today's date asks here, so that a page, a validation
and a download never disagree about the day, and tests have one place to set it."""

import datetime

from django.utils import timezone


def today() -> datetime.date:
    return timezone.localdate()
