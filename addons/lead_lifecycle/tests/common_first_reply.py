# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
from odoo.addons.mail.tests.common import MailCommon, mail_new_test_user

# An answer from the lead, with the threading headers ({extra}) of a real mail client.
REPLY_EMAIL = """Return-Path: {return_path}
From: {email_from}
To: {to}
cc: {cc}
Subject: {subject}
Date: Mon, 02 Mar 2026 11:02:17 +0100
Message-ID: {msg_id}
{extra}MIME-Version: 1.0
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: 8bit

Thanks! Call me tomorrow at 10.
--
Jane
"""


class FirstReplyCase(MailCommon):
    """Two sales teams, a salesperson, a trade-show source and campaign, and first
    replies of our own (the shipped ones archived) for each matching level."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.user_sales = mail_new_test_user(
            cls.env,
            login="ll_fr_sales",
            name="Sally Sales",
            email="sally.sales@test.example.com",
            groups="sales_team.group_sale_salesman",
            notification_type="inbox",
            tz="Europe/Brussels",
        )
        cls.user_manager = mail_new_test_user(
            cls.env,
            login="ll_fr_manager",
            name="Mark Manager",
            email="mark.manager@test.example.com",
            groups="sales_team.group_sale_manager",
            notification_type="inbox",
        )
        cls.team = cls.env["crm.team"].create(
            {"name": "Direct Sales", "alias_name": "direct.sales", "use_leads": True}
        )
        cls.team_other = cls.env["crm.team"].create(
            {"name": "Partners Desk", "use_leads": True}
        )
        cls.source_fair = cls.env["utm.source"].create({"name": "Trade Show"})
        cls.source_other = cls.env["utm.source"].create({"name": "Billboard"})
        cls.campaign = cls.env["utm.campaign"].create({"name": "Spring Fair 2026"})
        cls.lang_fr = cls.env["res.lang"]._activate_lang("fr_FR")

        cls.env["crm.first.reply"].search([]).action_archive()
        cls.template_fair = cls._create_template("Fair")
        cls.template_fair_team = cls._create_template("Fair-Direct")
        cls.template_fair_fr = cls._create_template("Fair-FR")
        cls.template_team_other = cls._create_template("Partners-Desk")
        cls.template_generic = cls._create_template("Generic")
        Reply = cls.env["crm.first.reply"]
        cls.reply_fair = Reply.create(
            {
                "name": "Trade show",
                "source_id": cls.source_fair.id,
                "template_id": cls.template_fair.id,
            }
        )
        cls.reply_fair_team = Reply.create(
            {
                "name": "Trade show, direct sales",
                "source_id": cls.source_fair.id,
                "team_id": cls.team.id,
                "template_id": cls.template_fair_team.id,
            }
        )
        cls.reply_fair_fr = Reply.create(
            {
                "name": "Trade show, French",
                "source_id": cls.source_fair.id,
                "lang_id": cls.lang_fr.id,
                "template_id": cls.template_fair_fr.id,
            }
        )
        cls.reply_team_other = Reply.create(
            {
                "name": "Partners desk default",
                "team_id": cls.team_other.id,
                "template_id": cls.template_team_other.id,
            }
        )
        cls.reply_generic = Reply.create(
            {"name": "Generic", "template_id": cls.template_generic.id}
        )

    @classmethod
    def _create_template(cls, marker):
        return cls.env["mail.template"].create(
            {
                "name": f"First reply {marker}",
                "model_id": cls.env["ir.model"]._get_id("crm.lead"),
                "subject": f"[{marker}] Hello {{{{ object.contact_name }}}}",
                "email_to": "{{ object.email_from }}",
                "body_html": f"<p>[{marker}] Dear "
                '<t t-out="object.contact_name"/> of <t t-out="object.partner_name"/>, '
                'I am <t t-out="object.user_id.name"/>; about '
                '<t t-out="object.campaign_id.name"/>.</p>',
            }
        )

    def _new_lead(self, **values):
        return (
            self.env["crm.lead"]
            .with_context(mail_create_nolog=True)
            .create(
                {
                    "name": "Booth visit",
                    "type": "lead",
                    "contact_name": "Jane Doe",
                    "partner_name": "Acme Corp",
                    "email_from": "jane.doe@acme-corp.example",
                    "user_id": self.user_sales.id,
                    "team_id": self.team.id,
                    "source_id": self.source_fair.id,
                    "campaign_id": self.campaign.id,
                    **values,
                }
            )
        )
