# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from datetime import datetime

from odoo import Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import SQL

# Monday 2 March 2026; the week's working hours are 9-17 UTC, Monday to Friday.
MONDAY = datetime(2026, 3, 2)


class AttributionCommon(TransactionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=True))
        cls.calendar = cls.env["resource.calendar"].create(
            {
                "name": "9-17 UTC",
                "tz": "UTC",
                "attendance_ids": [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": 9,
                            "hour_to": 17,
                            "day_period": "morning",
                        }
                    )
                    for day in range(5)
                ],
            }
        )
        groups = "sales_team.group_sale_salesman"
        cls.salesman = new_test_user(cls.env, "attr_salesman", groups=groups)
        cls.salesman_2 = new_test_user(cls.env, "attr_salesman_2", groups=groups)
        cls.leader = new_test_user(
            cls.env, "attr_leader", groups="sales_team.group_sale_manager"
        )
        cls.team = cls.env["crm.team"].create(
            {
                "name": "Attribution Team",
                "user_id": cls.leader.id,
                "response_calendar_id": cls.calendar.id,
                "response_sla_hours": 4,
                "member_ids": [Command.set([cls.salesman.id, cls.salesman_2.id])],
            }
        )

    def _lead(self, created, **values):
        """A lead of the team created at the given (naive UTC) datetime."""
        lead = self.env["crm.lead"].create(
            {
                "name": "Lead",
                "type": "lead",
                "team_id": self.team.id,
                "user_id": self.salesman.id,
                "email_from": "prospect@acme-lifecycle.com",
                **values,
            }
        )
        self._set_create_date(lead, created)
        return lead

    def _set_create_date(self, records, created):
        # create_date is the transaction's database time: set it like a past creation.
        records.flush_recordset()
        self.env.cr.execute(
            SQL(
                "UPDATE %s SET create_date = %s WHERE id = ANY(%s)",
                SQL.identifier(records._table),
                created,
                records.ids,
            )
        )
        records.invalidate_recordset(["create_date"])
