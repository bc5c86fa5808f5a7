# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Uninstall lead_lifecycle from a database and check what stays. Run it twice in
`odoo shell` (the first run uninstalls, the second checks in the new registry):

    odoo shell -c .local/odoo.conf -d DB --no-http < bench/install_roundtrip.py
    odoo shell -c .local/odoo.conf -d DB --no-http < bench/install_roundtrip.py

Then install it again with `-i lead_lifecycle`. Prints one line per check."""

import json

# ruff: noqa: F821 (env is given by odoo shell)
Partner = env["res.partner"]
params = env["ir.config_parameter"]
state = env["ir.module.module"].search([("name", "=", "lead_lifecycle")]).state
if state == "installed":
    keep = env.ref("lead_lifecycle.mailing_list_keep_in_touch")
    partner = Partner.create(
        {"name": "Roundtrip subscriber", "email": "rt@example.org"}
    )
    partner._action_add_to_mailing_lists(keep, origin="manual")
    lists = {
        keep.id: keep.name,
        **{
            x.id: x.name
            for x in env.ref("lead_lifecycle.mailing_list_qualified_prospects")
        },
    }
    subscribers = {
        list_id: env["mailing.subscription"].search_count([("list_id", "=", list_id)])
        for list_id in lists
    }
    params.set_param("roundtrip.lists", json.dumps([lists, subscribers]))
    env.cr.commit()
    env["ir.module.module"].search(
        [("name", "=", "lead_lifecycle")]
    ).button_immediate_uninstall()
    print("uninstalled")

else:
    lists, subscribers = json.loads(params.get_param("roundtrip.lists"))
    for list_id, name in lists.items():
        kept = env["mailing.list"].browse(int(list_id)).exists()
        print(
            "list kept:",
            name,
            bool(kept),
            "subscribers",
            env["mailing.subscription"].search_count([("list_id", "=", int(list_id))]),
            "of",
            subscribers[str(list_id)],
        )
    env.cr.execute(
        "SELECT indexname FROM pg_indexes WHERE indexname IN ("
        "'crm_lead_email_normalized_eq_index', 'res_partner__email_normalized_index', "
        "'mailing_contact__email_normalized_index', "
        "'mailing_contact__partner_id_index', "
        "'crm_lead_response_pending_index')"
    )
    print("indexes left:", [row[0] for row in env.cr.fetchall()])
    env.cr.execute("SELECT count(*) FROM pg_views WHERE viewname LIKE '%lifecycle%'")
    print("views left:", env.cr.fetchone()[0])
    env.cr.execute(
        "SELECT count(*) FROM ir_cron c "
        "JOIN ir_act_server a ON a.id = c.ir_actions_server_id "
        "WHERE a.name->>'en_US' LIKE 'Lead Lifecycle%'"
    )
    print("crons left:", env.cr.fetchone()[0])
    env.cr.execute(
        "SELECT count(*) FROM base_automation "
        "WHERE name->>'en_US' LIKE '%Lead Lifecycle%'"
        " OR name->>'en_US' LIKE '%Keep in touch%'"
    )
    print("automation rules left:", env.cr.fetchone()[0])
    lead = env["crm.lead"].create(
        {"name": "After uninstall", "email_from": "after@example.org", "type": "lead"}
    )
    lead.convert_opportunity(Partner.create({"name": "After uninstall"}))
    lead.action_set_won()
    print("stock crm: lead", lead.type, "won", lead.stage_id.is_won)
    env.cr.commit()
