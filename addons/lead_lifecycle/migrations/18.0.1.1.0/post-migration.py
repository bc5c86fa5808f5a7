# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.0.0 -> 18.0.1.1.0: history installed by 1.0.0 gets what 1.1.0's install
gives it.

1.0.0 made every lead that existed at its install "new" (opportunities, won and lost
deals included), left their interaction counts at zero and stamped their rating date
with the install time (so rules keyed on it fired on history). Here: the install time
is taken from when 1.0.0 created its models, the leads created before it are
backfilled (only those still new/contacted change state), the install-time rating
dates are cleared and the partners' ratings rolled up again.

1.0.0 had no response_sla_start_date: its SLA counted every lead, history included.
1.1.0 flags only leads created since the SLA was turned on; for the teams whose SLA
was already on, that moment is unknown and taken as the install: history is never
flagged by itself, the leads created since were under the SLA already."""

from odoo import api
from odoo.tools import SQL
from odoo.tools.sql import column_exists

from odoo.addons.lead_lifecycle.hooks import (
    HISTORY_LEAD_PARAM,
    INSTALL_DATE_PARAM,
    backfill_history,
)


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    migrate_history(env)


def migrate_history(env):
    cr = env.cr
    params = env["ir.config_parameter"].sudo()
    installed = params.get_param(INSTALL_DATE_PARAM)
    if not installed:
        cr.execute(
            "SELECT min(create_date) FROM ir_model "
            "WHERE model = 'crm.qualification.policy'"
        )
        installed = cr.fetchone()[0]
        if not installed:
            return
        params.set_param(INSTALL_DATE_PARAM, str(installed))
    cr.execute(
        SQL(
            "SELECT COALESCE(max(id), 0) FROM crm_lead WHERE create_date < %s",
            installed,
        )
    )
    max_id = cr.fetchone()[0]
    params.set_param(HISTORY_LEAD_PARAM, max_id)
    if column_exists(cr, "crm_lead", "rating_date"):
        # The install stamped every historic rating (not chosen by hand) with its
        # own time: that was no assessment.
        cr.execute(
            SQL(
                "UPDATE crm_lead SET rating_date = NULL WHERE id <= %(max_id)s "
                "AND NOT COALESCE(rating_manual, FALSE) "
                "AND rating_date >= %(installed)s "
                "AND rating_date < %(installed)s::timestamp + interval '1 hour'",
                max_id=max_id,
                installed=installed,
            )
        )
    backfill_history(env, max_id=max_id, install=False)
    migrate_response_sla(env, installed)


def migrate_response_sla(env, installed):
    """Teams with a response SLA on before 1.1.0 count it from the install (SQL: the
    team's write() would stamp the upgrade's time on teams turned on only)."""
    if not column_exists(env.cr, "crm_team", "response_sla_start_date"):
        return
    env.cr.execute(
        SQL(
            "UPDATE crm_team SET response_sla_start_date = %s "
            "WHERE response_sla_hours > 0 AND response_sla_start_date IS NULL",
            installed,
        )
    )
    env["crm.team"].invalidate_model(["response_sla_start_date"])
