"""Reads for the referrals app, each scoped to what the user's organisation may see: clients and consent,
referrals, where a client may be referred, visits, the client timeline, partner feedback and the home
page's sections. Callers outside the app import from here."""

from .clients import (
    client_get_with_consents,
    client_history,
    client_list_for_user,
    client_list_held_by_user,
    client_possible_duplicates,
    client_search,
    consent_get_for_user,
)
from .destinations import ReferralDestinations, TrackRecord, partner_track_records, referral_destinations_for
from .feedback import (
    PartnershipReferralFigures,
    QuarterFeedback,
    partner_feedback_for_quarter,
    partnership_referral_figures,
    quarter_of,
)
from .home import inbox_home_for_user, officer_home_for_user, partnership_home_for_user, team_home_for_user
from .referrals import (
    OPEN,
    referral_due_q,
    referral_filter,
    referral_inbox_for_user,
    referral_list_for_user,
    referral_officer_q,
    referral_outbox_for_user,
    referral_outbox_with_awards_for_user,
    referral_team_q,
    week_end,
)
from .timeline import TimelineEvent, client_timeline
from .visits import (
    visit_list_for_officer_week,
    visit_list_for_user,
    visit_list_not_recorded_for_officer,
    visit_list_with_people_for_user,
    visit_not_recorded_q,
    visit_officer_candidates,
    visit_referral_candidates,
    visit_rows,
)

__all__ = [
    "OPEN",
    "PartnershipReferralFigures",
    "QuarterFeedback",
    "ReferralDestinations",
    "TimelineEvent",
    "TrackRecord",
    "client_get_with_consents",
    "client_history",
    "client_list_for_user",
    "client_list_held_by_user",
    "client_possible_duplicates",
    "client_search",
    "client_timeline",
    "consent_get_for_user",
    "inbox_home_for_user",
    "officer_home_for_user",
    "partner_feedback_for_quarter",
    "partner_track_records",
    "partnership_home_for_user",
    "partnership_referral_figures",
    "quarter_of",
    "referral_destinations_for",
    "referral_due_q",
    "referral_filter",
    "referral_inbox_for_user",
    "referral_list_for_user",
    "referral_officer_q",
    "referral_outbox_for_user",
    "referral_outbox_with_awards_for_user",
    "referral_team_q",
    "team_home_for_user",
    "visit_list_for_officer_week",
    "visit_list_for_user",
    "visit_list_not_recorded_for_officer",
    "visit_list_with_people_for_user",
    "visit_not_recorded_q",
    "visit_officer_candidates",
    "visit_referral_candidates",
    "visit_rows",
    "week_end",
]
