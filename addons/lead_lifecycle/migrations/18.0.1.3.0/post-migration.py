# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.2.0 -> 18.0.1.3.0: six indexes of the rented-list contacts dropped.

Odoo keeps the index of a field that no longer asks for one ("Keep unexpected
index"): the indexes of the list, company, email, validity, match status and state
columns, which every imported row paid for and no query needed (see the fields of
crm.rented.list.contact), are dropped here."""

from odoo.tools import SQL

DROPPED_INDEXES = [
    "crm_rented_list_contact__rented_list_id_index",
    "crm_rented_list_contact__company_id_index",
    "crm_rented_list_contact__email_normalized_index",
    "crm_rented_list_contact__validity_index",
    "crm_rented_list_contact__match_status_index",
    "crm_rented_list_contact__state_index",
]


def migrate(cr, version):
    if not version:
        return
    for name in DROPPED_INDEXES:
        cr.execute(SQL("DROP INDEX IF EXISTS %s", SQL.identifier(name)))
