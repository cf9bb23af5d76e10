"""The admin of the tracker: status reports (with their import), current statuses and users.

Every admin builds on softlaw.admin.TrackedAdmin (history for every record).
"""

from tracker.admin.current_status import (
    CurrentStatusAdmin,
    DataVersionAdmin,
    ScopeVersionAdmin,
    YearEndScoreAdmin,
)
from tracker.admin.imports import IMPORT_MAX_AGE, IMPORT_SALT, ImportForm, ReportImportMixin
from tracker.admin.notices import NoticeAdmin
from tracker.admin.reports import (
    RECORD_FIELDS,
    REVIEW_FIELDS,
    ReturnForm,
    StatusReportAdmin,
    StatusReportForm,
)
from tracker.admin.rounds import ReportingRoundAdmin, ReportingRoundForm
from tracker.admin.users import OfficerUserAdmin, OfficerUserChangeForm

__all__ = [
    "IMPORT_MAX_AGE",
    "IMPORT_SALT",
    "RECORD_FIELDS",
    "REVIEW_FIELDS",
    "CurrentStatusAdmin",
    "DataVersionAdmin",
    "ImportForm",
    "NoticeAdmin",
    "OfficerUserAdmin",
    "OfficerUserChangeForm",
    "ReportImportMixin",
    "ReportingRoundAdmin",
    "ReportingRoundForm",
    "ReturnForm",
    "ScopeVersionAdmin",
    "StatusReportAdmin",
    "StatusReportForm",
    "YearEndScoreAdmin",
]
