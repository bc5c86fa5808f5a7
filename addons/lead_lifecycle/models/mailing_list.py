# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: mailing lists: the qualified and automated members counted on each list.
from odoo import api, fields, models, tools
from odoo.osv import expression
from odoo.tools import SQL, email_normalize
from odoo.tools.safe_eval import safe_eval

# Fields of mass_mailing_list_dynamic that decide which partners a list follows.
DYNAMIC_FIELDS = {"dynamic", "sync_method", "sync_domain", "active"}


class MailingList(models.Model):
    _inherit = "mailing.list"

    lifecycle_qualified_count = fields.Integer(
        string="From Qualification",
        compute="_compute_lifecycle_counts",
        help="Members subscribed when they were qualified from a lead.",
    )
    lifecycle_automated_count = fields.Integer(
        string="Added by Automations",
        compute="_compute_lifecycle_counts",
        help="Members subscribed by an automation rule or by the list's criteria.",
    )

    @api.depends("subscription_ids.lifecycle_origin")
    def _compute_lifecycle_counts(self):
        groups = self.env["mailing.subscription"]._read_group(
            [("list_id", "in", self.ids), ("lifecycle_origin", "!=", False)],
            ["list_id", "lifecycle_origin"],
            ["__count"],
        )
        qualified = dict.fromkeys(self.ids, 0)
        automated = dict.fromkeys(self.ids, 0)
        for mailing_list, origin, count in groups:
            automated[mailing_list.id] += count
            if origin == "qualification":
                qualified[mailing_list.id] += count
        for mailing_list in self:
            mailing_list.lifecycle_qualified_count = qualified.get(mailing_list.id, 0)
            mailing_list.lifecycle_automated_count = automated.get(mailing_list.id, 0)

    # ------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        lists = super().create(vals_list)
        if any(vals.get("dynamic") for vals in vals_list):
            self.env.registry.clear_cache()
        return lists

    def write(self, vals):
        res = super().write(vals)
        if DYNAMIC_FIELDS & set(vals):
            self.env.registry.clear_cache()
        return res

    def unlink(self):
        dynamic = any(self.mapped("dynamic"))
        res = super().unlink()
        if dynamic:
            self.env.registry.clear_cache()
        return res

    # ------------------------------------------------------------
    # ACTIONS
    # ------------------------------------------------------------

    def action_view_lifecycle_subscriptions(self):
        """Members added by automations, grouped by the rule that added them."""
        self.ensure_one()
        return {
            "name": self.env._("Members Added by Automations"),
            "type": "ir.actions.act_window",
            "res_model": "mailing.subscription",
            "view_mode": "list,pivot,form",
            "domain": [("list_id", "=", self.id), ("lifecycle_origin", "!=", False)],
            "context": {
                "search_default_group_by_lifecycle_origin": 1,
                "search_default_group_by_lifecycle_automation_id": 1,
                "create": False,
            },
        }

    # ------------------------------------------------------------
    # BUSINESS
    # ------------------------------------------------------------

    def _lifecycle_subscribe(
        self, contact_vals_list, origin="rule", action=None, only_opted_in=False
    ):
        """Subscribe people to the lists of ``self``, in batch and idempotently.

        One mailing.contact per email (reused by partner, else by normalized email,
        the missing ones created in one call), one subscription per (contact, list).
        Blacklisted emails are never subscribed; a contact that opted out of a list is
        never subscribed to it again (its subscription stays opted out).

        :param contact_vals_list: dicts with ``email`` and optionally ``partner_id``,
            ``name``, ``title_id``, ``company_name``, ``country_id``
        :param origin: key of SUBSCRIPTION_ORIGINS recorded on the new subscriptions
        :param action: ir.actions.server (automation) recorded on them
        :param only_opted_in: also skip emails that opted out of any list or bounced
        :return: the new mailing.subscription records
        """
        Subscription = self.env["mailing.subscription"].sudo()
        lists = self.exists()
        if not lists:
            return Subscription
        # One entry per normalized email; an entry with a partner wins.
        by_email = {}
        for vals in contact_vals_list:
            email = email_normalize(vals.get("email") or "")
            if email and (
                email not in by_email or not by_email[email].get("partner_id")
            ):
                by_email[email] = vals
        emails = self._lifecycle_allowed_emails(list(by_email), only_opted_in)
        if not emails:
            return Subscription
        contacts = self._lifecycle_get_contacts(
            {email: by_email[email] for email in emails}
        )
        return self._lifecycle_insert_subscriptions(contacts, origin, action)

    def _lifecycle_insert_subscriptions(self, contacts, origin, action):
        """Subscribe ``contacts`` to the lists of ``self``; existing subscriptions
        (opted out or not) are left as they are.

        One INSERT ... ON CONFLICT DO NOTHING instead of mailing.subscription's
        create(): the ORM spends ~1 ms a subscription (defaults, the stored compute
        of opt_out_datetime, the related rule, one partner-per-list check a record)
        where the statement takes seconds for 10,000, and the unique (contact, list)
        key makes it idempotent even when two automations run at once. What the ORM
        would do is done here: the caller is an automation (sudo, as before), the
        one-partner-per-list check runs once for the batch, and the caches of the
        models that show subscriptions are invalidated.
        """
        Subscription = self.env["mailing.subscription"].sudo()
        if not contacts or not self:
            return Subscription
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mailing_subscription
                       (contact_id, list_id, opt_out, lifecycle_origin,
                        lifecycle_action_id, lifecycle_automation_id,
                        create_uid, write_uid, create_date, write_date)
                SELECT c.id, l.id, FALSE, %(origin)s, %(action)s, %(automation)s,
                       %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM unnest(%(contacts)s::int[]) AS c(id)
            CROSS JOIN unnest(%(lists)s::int[]) AS l(id)
           ON CONFLICT (contact_id, list_id) DO NOTHING
             RETURNING id
                """,
                origin=origin,
                action=action.id if action else None,
                automation=(action.base_automation_id.id or None) if action else None,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                contacts=contacts.ids,
                lists=self.ids,
            )
        )
        subscriptions = Subscription.browse(row[0] for row in self.env.cr.fetchall())
        self.env["mailing.contact"].invalidate_model(["subscription_ids", "list_ids"])
        self.env["mailing.list"].invalidate_model(["subscription_ids", "contact_ids"])
        if subscriptions:
            # As create() does: what depends on subscriptions (list and partner
            # counters) is invalidated or recomputed.
            subscriptions.modified(
                ["contact_id", "list_id", "opt_out", "lifecycle_origin"], create=True
            )
            subscriptions._check_contact_id_partner_id_list_id()
        return subscriptions

    def _lifecycle_unsubscribe(self, partners=None, emails=(), mode="opt_out"):
        """Take people off the lists of ``self`` (all lists when ``self`` is empty).

        :param partners: res.partner whose linked mailing contacts leave
        :param emails: emails whose mailing contacts leave
        :param mode: ``opt_out`` keeps the subscription, opted out (automations then
            never subscribe them again); ``delete`` removes subscriptions that are not
            opted out (a later match may subscribe them again)
        :return: the number of subscriptions changed
        """
        normalized = [email for email in map(email_normalize, emails) if email]
        domain = expression.OR(
            [
                [("contact_id.partner_id", "in", partners.ids if partners else [])],
                [("contact_id.email_normalized", "in", normalized)],
            ]
        )
        domain = expression.AND([domain, [("opt_out", "=", False)]])
        if self:
            domain = expression.AND([domain, [("list_id", "in", self.ids)]])
        subscriptions = self.env["mailing.subscription"].sudo().search(domain)
        if mode == "delete":
            subscriptions.with_context(syncing=True).unlink()
        else:
            subscriptions.write({"opt_out": True})
        return len(subscriptions)

    @api.model
    @tools.ormcache()
    def _lifecycle_dynamic_lists(self):
        """(id, sync_method, sync_domain) of the active dynamic lists. Cached: asked
        at every partner write."""
        return tuple(
            (mailing_list.id, mailing_list.sync_method, mailing_list.sync_domain)
            for mailing_list in self.sudo().search([("dynamic", "=", True)])
        )

    @api.model
    @tools.ormcache()
    def _lifecycle_dynamic_fields(self):
        """Partner fields the dynamic lists' criteria read (first field of each
        condition, plus the email): a partner change that touches none of them cannot
        change any membership."""
        names = {"email", "active"}
        for _list_id, _method, sync_domain in self._lifecycle_dynamic_lists():
            for leaf in safe_eval(sync_domain):
                if isinstance(leaf, list | tuple) and isinstance(leaf[0], str):
                    names.add(leaf[0].split(".")[0])
        if not self._lifecycle_dynamic_lists():
            return frozenset()
        return frozenset(names)

    @api.model
    def _lifecycle_allowed_emails(self, emails, only_opted_in=False):
        """The normalized emails automations may subscribe: never a blacklisted one."""
        if not emails:
            return []
        blocked = set(
            self.env["mail.blacklist"]
            .sudo()
            .search([("email", "in", emails)])
            .mapped("email")
        )
        if only_opted_in:
            blocked.update(
                self.env["mailing.contact"]
                .sudo()
                .search(
                    [
                        ("email_normalized", "in", emails),
                        "|",
                        ("message_bounce", ">", 0),
                        ("subscription_ids.opt_out", "=", True),
                    ]
                )
                .mapped("email_normalized")
            )
        return [email for email in emails if email not in blocked]

    @api.model
    def _lifecycle_get_contacts(self, vals_by_email):
        """The mailing contact of each email: the partner's, else one with that
        email, else a new one (all new ones in one create)."""
        Contact = self.env["mailing.contact"].sudo().with_context(syncing=True)
        partner_ids = [
            v["partner_id"] for v in vals_by_email.values() if v.get("partner_id")
        ]
        # Two automations subscribing one email (or partner) at once would both find
        # no contact (each reads its own snapshot) and create two: the claim makes
        # the later one fail with a serialization failure, replayed by Odoo's retry,
        # which then finds the contact of the first.
        Claim = self.env["lead.lifecycle.claim"]
        Claim._claim("mailing.contact:email", vals_by_email)
        Claim._claim("mailing.contact:partner", map(str, partner_ids))
        candidates = Contact.search(
            [
                "|",
                ("partner_id", "in", partner_ids),
                ("email_normalized", "in", list(vals_by_email)),
            ],
            order="id",
        )
        by_partner = {}
        by_email = {}
        for contact in candidates:
            by_partner.setdefault(contact.partner_id.id, contact)
            by_email.setdefault(contact.email_normalized, contact)
        contact_ids = []
        to_link = {}
        to_create = []
        for email, vals in vals_by_email.items():
            partner_id = vals.get("partner_id")
            contact = (partner_id and by_partner.get(partner_id)) or by_email.get(email)
            if contact:
                contact_ids.append(contact.id)
                if partner_id and not contact.partner_id:
                    to_link.setdefault(partner_id, []).append(contact.id)
            else:
                to_create.append(
                    dict(
                        self._lifecycle_prepare_contact_vals(vals),
                        email_normalized=email,
                    )
                )
        for partner_id, linked_ids in to_link.items():
            Contact.browse(linked_ids).write({"partner_id": partner_id})
        return Contact.browse(contact_ids) | self._lifecycle_insert_contacts(to_create)

    @api.model
    def _lifecycle_insert_contacts(self, vals_list):
        """Create the mailing contacts of vals_list (_lifecycle_prepare_contact_vals
        with email_normalized) with one INSERT.

        mailing.contact's create() costs ~0.5 ms a contact (defaults, the chatter
        set-up of mail.thread, mass_mailing_partner completing each contact from its
        partner one by one, email_normalized parsed again) where the statement takes
        a fraction of a second for 10,000; the values are prepared for the whole
        batch from the partners instead. What the ORM would do is done here: the
        caller is an automation (sudo, as before), the stored computes left
        (mass_mailing_partner's tags from the partner) are computed in batch at the
        next flush, what depends on contacts (the partners' contact counts) is
        recomputed, and the partners' contact lists are invalidated. No "contact
        created" log message: the subscription records which automation made it.
        When an automation rule watches the creation of mailing contacts, they are
        created through the ORM so that it runs.
        """
        Contact = self.env["mailing.contact"].sudo()
        if not vals_list:
            return Contact
        watched = (
            self.env["base.automation"]
            .sudo()
            .search_count(
                [
                    ("model_name", "=", "mailing.contact"),
                    ("trigger", "in", ["on_create", "on_create_or_write"]),
                ],
                limit=1,
            )
        )
        if watched:
            return Contact.with_context(
                mass_mailing_partner_writing=True,
                mail_create_nolog=True,
                mail_create_nosubscribe=True,
            ).create(
                [
                    {
                        key: value
                        for key, value in vals.items()
                        if key != "email_normalized"
                    }
                    for vals in vals_list
                ]
            )
        self.env.flush_all()
        columns = [
            "name",
            "email",
            "email_normalized",
            "partner_id",
            "title_id",
            "company_name",
            "country_id",
        ]
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO mailing_contact
                       (name, email, email_normalized, partner_id, title_id,
                        company_name, country_id, message_bounce,
                        create_uid, write_uid, create_date, write_date)
                SELECT v.name, v.email, v.email_normalized, v.partner_id,
                       v.title_id, v.company_name, v.country_id, 0,
                       %(uid)s, %(uid)s, %(now)s, %(now)s
                  FROM unnest(%(name)s::varchar[], %(email)s::varchar[],
                              %(email_normalized)s::varchar[], %(partner_id)s::int[],
                              %(title_id)s::int[], %(company_name)s::varchar[],
                              %(country_id)s::int[])
                       AS v(name, email, email_normalized, partner_id, title_id,
                            company_name, country_id)
             RETURNING id
                """,
                uid=self.env.uid,
                now=fields.Datetime.now(),
                **{
                    column: [vals[column] or None for vals in vals_list]
                    for column in columns
                },
            )
        )
        contacts = Contact.browse(row[0] for row in self.env.cr.fetchall())
        contacts.modified(columns, create=True)
        for field in contacts._fields.values():
            if field.store and field.compute:
                self.env.add_to_compute(field, contacts)
        # inserted: the key the emails were grouped by, what the compute would give
        self.env.remove_to_compute(contacts._fields["email_normalized"], contacts)
        self.env["res.partner"].invalidate_model(["mass_mailing_contact_ids"])
        return contacts

    @api.model
    def _lifecycle_prepare_contact_vals(self, vals):
        return {
            "name": vals.get("name") or vals["email"],
            "email": vals["email"],
            "partner_id": vals.get("partner_id") or False,
            "title_id": vals.get("title_id") or False,
            "company_name": vals.get("company_name") or False,
            "country_id": vals.get("country_id") or False,
        }
