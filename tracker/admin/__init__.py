"""The admin of the tracker: status reports (with their import), current statuses and users.

Other apps' admins build on TrackedAdmin (history for every record) and autocomplete_source().
"""

from tracker.admin.current_status import (
    CurrentStatusAdmin,
    DataVersionAdmin,
    YearEndScoreAdmin,
)
from tracker.admin.imports import IMPORT_MAX_AGE, IMPORT_SALT, ImportForm, ReportImportMixin
from tracker.admin.mixins import TrackedAdmin, autocomplete_source
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
    "StatusReportAdmin",
    "StatusReportForm",
    "TrackedAdmin",
    "YearEndScoreAdmin",
    "autocomplete_source",
]
