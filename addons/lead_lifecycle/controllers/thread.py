# Copyright 2026 lead_lifecycle authors
# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
# Concern: the chatter's posting: a staged lead's suggested recipient mailed at its
# email, without a partner.
from odoo.addons.mail.controllers.thread import ThreadController


class LifecycleThreadController(ThreadController):
    def _prepare_post_data(self, post_data, thread, **kwargs):
        """The chatter's suggested recipient of a staged lead (its email, without
        partner) comes as ``partner_emails``, which stock turns into partners: mail
        the email instead (``lifecycle_email_to``, see crm_lead_staging.py)."""
        email_to = False
        if (
            thread._name == "crm.lead"
            and kwargs.get("partner_emails")
            and thread.sudo()._lifecycle_staged()
        ):
            own, others = thread.sudo()._lifecycle_staged_split_emails(
                kwargs["partner_emails"]
            )
            if own:
                email_to = ",".join(own)
                kwargs = dict(kwargs, partner_emails=others)
                if not others:
                    kwargs.pop("partner_emails")
        post_data = super()._prepare_post_data(post_data, thread, **kwargs)
        if email_to:
            post_data["lifecycle_email_to"] = email_to
        return post_data
