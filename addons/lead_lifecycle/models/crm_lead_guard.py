# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: crm.lead, guards: the lifecycle facts only the server writes, and what a
# plain write, import or server action may not do to a lead (qualify, convert).
from odoo import api, models
from odoo.exceptions import UserError

from .base import lifecycle_server_write

# Fields of a lead that only lead_lifecycle's own actions, hooks and crons write
# (derived facts and audit trail). `readonly` in a view is no rule: a JSON-RPC write,
# an import or a server action run by a user is refused (see
# Base._lifecycle_check_server_fields). Users edit the BANT fields, the rating (a
# proposed value they may change) and whether it was chosen by hand.
LEAD_SERVER_FIELDS = frozenset(
    {
        # qualification (Qualify / Mark as Lost; a manager overrides the policy
        # through Qualify with a logged reason)
        "lifecycle_state",
        "qualified_date",
        "qualified_by_id",
        "disqualified_date",
        "qualification_override_reason",
        "lifecycle_origin_message_id",
        "not_contactable_hint",
        # interactions, counted from messages, activities and meetings
        "inbound_email_count",
        "call_count",
        "meeting_count",
        "contact_attempt_count",
        "first_two_way_date",
        "last_interaction_date",
        # speed to first response and first reply
        "first_response_date",
        "response_delay_hours",
        "response_overdue",
        "response_overdue_date",
        "first_reply_sent_date",
        # scoring
        "score",
        "score_event_ids",
        "sales_ready",
        "sales_ready_date",
        # rating audit (the rating itself is editable)
        "rating_suggested",
        "rating_date",
        # rented-list origin, set by the promotion of a list contact
        "rented_list_id",
        "rented_list_contact_id",
    }
)


class CrmLead(models.Model):
    # One class per concern of crm.lead (house style), hence the pylint exception.
    _inherit = "crm.lead"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        self._lifecycle_check_server_fields(vals_list, create=True)
        leads = super().create(vals_list)
        if not self._lifecycle_is_server_write():
            leads._lifecycle_check_not_converted(
                leads.filtered(
                    lambda lead: lead.type == "opportunity"
                    and lead.active
                    and lead.lifecycle_state != "qualified"
                    and lead.qualification_policy_id.enforce_conversion
                )
            )
        return leads

    def write(self, vals):
        self._lifecycle_check_server_fields([vals])
        if vals.get("type") == "opportunity" and not self._lifecycle_is_server_write():
            # Under the policy the lead has now: crm recomputes the team of a lead
            # that becomes an opportunity.
            self._lifecycle_check_not_converted(self._lifecycle_conversion_blocked())
        return super().write(vals)

    def merge_opportunity(self, user_id=False, team_id=False, auto_unlink=True):
        # The merged lead takes the server-only values of the merged ones
        # (_merge_get_fields), computed by crm, not given by the caller.
        with lifecycle_server_write():
            return super().merge_opportunity(
                user_id=user_id, team_id=team_id, auto_unlink=auto_unlink
            )

    def _message_post_after_hook(self, message, msg_vals):
        # Interaction counts, first response, first reply, score: recounted from the
        # message just posted.
        with lifecycle_server_write():
            return super()._message_post_after_hook(message, msg_vals)

    # ------------------------------------------------------------
    # BUSINESS: server-only fields
    # ------------------------------------------------------------

    def _lifecycle_server_fields(self):
        return super()._lifecycle_server_fields() | LEAD_SERVER_FIELDS

    def _lifecycle_server_fields_hint(self):
        return self.env._(
            "it is set by the qualification actions and the interactions Odoo "
            "records. Use Qualify or Mark as Lost; a Lead Lifecycle manager overrides "
            "the qualification policy from Qualify, with a reason."
        )

    def _lifecycle_server_field_neutral(self, fname, value):
        # A new lead is "new" until the interactions say otherwise.
        return (
            fname == "lifecycle_state" and value == "new"
        ) or super()._lifecycle_server_field_neutral(fname, value)

    @api.model
    def _lifecycle_check_not_converted(self, blocked):
        """Refuse to make opportunities of ``blocked``, leads that a policy enforcing
        conversion does not let through (unqualified). Qualify, then crm's convert
        wizards (convert_opportunity), are the way."""
        if blocked:
            raise UserError(
                self.env._(
                    "These leads must be qualified before they become opportunities "
                    "(policy of their sales team):\n%(leads)s\nQualify them first.",
                    leads="\n".join(f"- {name}" for name in blocked.mapped("name")),
                )
            )

    # Server code paths that write server-only fields: the values come from Odoo's
    # records, not from the caller.

    def _lifecycle_qualify(self, create_opportunity=None, override_reason=False):
        with lifecycle_server_write():
            return super()._lifecycle_qualify(
                create_opportunity=create_opportunity, override_reason=override_reason
            )

    def _lifecycle_refresh_interactions(self):
        with lifecycle_server_write():
            return super()._lifecycle_refresh_interactions()

    def _lifecycle_set_first_response(self):
        with lifecycle_server_write():
            return super()._lifecycle_set_first_response()

    def _lifecycle_flag_response_overdue(self):
        with lifecycle_server_write():
            return super()._lifecycle_flag_response_overdue()

    def _scoring_refresh(self):
        with lifecycle_server_write():
            return super()._scoring_refresh()

    def _scoring_apply_sales_ready(self):
        with lifecycle_server_write():
            return super()._scoring_apply_sales_ready()
