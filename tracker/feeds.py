"""Atom feed of published status reports, newest publication first."""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from tracker import selectors
from tracker.markup import origin_label
from tracker.models import StatusReport


class UpdatesFeed(Feed):
    feed_type = Atom1Feed
    title = "Soft-Law Tracker: published status updates"
    subtitle = (
        "Each entry is a status report on how an APEC economy implements a commitment of a "
        "soft-law digital-trade instrument, as published after review."
    )

    author_name = "Soft-Law Tracker"

    def link(self):
        return reverse("updates")

    def items(self):
        return selectors.updates_for_feed(limit=50)

    def item_title(self, item: StatusReport) -> str:
        return (
            f"{item.economy.name}: {item.commitment.code} "
            f"({item.commitment.instrument.short_name}) — {item.get_status_display()}"
        )

    def item_description(self, item: StatusReport) -> str:
        target = f" Target date: {item.target_date:%d %B %Y}." if item.target_date else ""
        return (
            f"{item.get_status_display()} from {item.effective_date:%d %B %Y} "
            f"({origin_label(item.origin, assessor=item.assessor, assessed_on=item.assessed_on)})."
            f"{target} {item.evidence}"
        )

    def item_link(self, item: StatusReport) -> str:
        # The report's own address, which lands on the economy's page that shows it (made
        # absolute by the feed).
        return reverse("report_detail", args=[item.pk])

    def item_guid(self, item: StatusReport) -> str:
        return f"tag:soft-law-tracker,2025:status-report/{item.pk}"

    item_guid_is_permalink = False

    def item_pubdate(self, item: StatusReport):
        return item.published_at

    def item_updateddate(self, item: StatusReport):
        return item.published_at

    def item_categories(self, item: StatusReport):
        return [item.commitment.instrument.short_name, item.economy.code]
