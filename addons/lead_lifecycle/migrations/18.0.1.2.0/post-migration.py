# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""18.0.1.1.0 -> 18.0.1.2.0: validity per channel for the rented-list contacts.

1.1.0 made a row with a good email *Invalid Phone* or *Invalid Value* when its phone
had no country code or its country was spelled as ISO does not in Odoo ("Syrian Arab
Republic"), and mailed only *Valid* rows. Here the contacts not purged are cleaned
again (phonenumbers, pycountry: unknown countries and bad phones become warnings),
then the new mailable / callable flags and the lists' figures are set, set-based."""

from odoo import api


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, api.SUPERUSER_ID, {})
    migrate_channel_validity(env)


def migrate_channel_validity(env):
    cr = env.cr
    # Ids only: the cleaning reads and writes its rows in batches with plain SQL.
    cr.execute(
        "SELECT id FROM crm_rented_list_contact WHERE state != 'purged' ORDER BY id"
    )
    contacts = env["crm.rented.list.contact"].browse([row[0] for row in cr.fetchall()])
    contacts._clean()
    cr.execute("SELECT id FROM crm_rented_list")
    lists = env["crm.rented.list"].browse([row[0] for row in cr.fetchall()])
    # Flags of every list (purged ones too, where they all become false); figures
    # of the lists not purged (a purged list keeps the figures of its purge).
    lists._sync_channel_flags()
    lists._refresh_figures()
