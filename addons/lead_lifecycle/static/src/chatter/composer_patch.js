/** @odoo-module **/
// Copyright 2026 lead_lifecycle authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import {Composer} from "@mail/core/common/composer";
import {SuggestedRecipient} from "@mail/core/web/suggested_recipient";
import {patch} from "@web/core/utils/patch";

/**
 * A staged lead (not qualified, no partner) is mailed at its email, never turned
 * into a partner (see models/crm_lead_staging.py). The server flags its email among
 * the chatter's suggested recipients as `lifecycle_staged`.
 *
 * Stock "open full composer" creates a partner for every checked suggestion
 * without one (`/mail/partner/from_email`, which only knows emails: there is no
 * server-side way to tell a staged lead's email from any other). For the flagged
 * email, the full composer gets it as a plain email recipient instead
 * (`default_lifecycle_email_to` of mail.compose.message).
 */
patch(Composer.prototype, {
    async onClickFullComposer(ev) {
        const staged =
            this.props.type === "note"
                ? []
                : this.thread.suggestedRecipients.filter(
                      (recipient) =>
                          recipient.checked &&
                          !recipient.persona &&
                          recipient.lifecycle_staged
                  );
        if (!staged.length) {
            return super.onClickFullComposer(...arguments);
        }
        const emailTo = staged.map((recipient) => recipient.email).join(",");
        // Stock builds the composer's context and opens it in one go: add ours to
        // the first composer action it opens, and leave the service as it was.
        const actionService = this.env.services.action;
        const doAction = actionService.doAction;
        actionService.doAction = (action, options) => {
            actionService.doAction = doAction;
            if (action?.res_model === "mail.compose.message") {
                action = {
                    ...action,
                    context: {...action.context, default_lifecycle_email_to: emailTo},
                };
            }
            return doAction(action, options);
        };
        // Unchecked for stock: not turned into partners.
        for (const recipient of staged) {
            recipient.checked = false;
        }
        try {
            return await super.onClickFullComposer(...arguments);
        } finally {
            actionService.doAction = doAction;
            for (const recipient of staged) {
                recipient.checked = true;
            }
        }
    },
});

patch(SuggestedRecipient.prototype, {
    /** Checking a staged lead's email again does not ask to create a partner. */
    onChangeCheckbox(ev) {
        if (this.props.recipient.lifecycle_staged) {
            this.props.recipient.checked = !this.props.recipient.checked;
            return;
        }
        return super.onChangeCheckbox(...arguments);
    },
});
