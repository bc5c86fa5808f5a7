/** @odoo-module **/
// Copyright 2026 lead_lifecycle authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import {registry} from "@web/core/registry";

const EMAIL = "jane@acme-logistics.example";

registry.category("web_tour.tours").add("lead_lifecycle_staged_full_composer_tour", {
    steps: () => [
        {
            content: "Write to the lead from the chatter",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            content: "Its email is suggested as recipient, checked, without contact",
            trigger: `.o-mail-SuggestedRecipient:not([data-partner-id]):contains('${EMAIL}') input:checked`,
        },
        {
            content: "Write something",
            trigger: ".o-mail-Composer-input",
            run: "edit Following up on the fleet",
        },
        {
            content: "Open the full composer",
            trigger: "button[aria-label='Full composer']",
            run: "click",
        },
        {
            content: "The lead's email is a plain email recipient, no contact proposed",
            trigger: ".o_mail_composer_form_view .o_field_widget[name=lifecycle_email_to] input",
            run() {
                const value = this.anchor.value;
                if (!value.includes(EMAIL)) {
                    throw new Error(`lifecycle_email_to should hold ${EMAIL}: ${value}`);
                }
                if (
                    document.querySelector(
                        ".o_mail_composer_form_view .o_field_widget[name=partner_ids] .o_tag"
                    )
                ) {
                    throw new Error("No contact should be proposed for a staged lead");
                }
            },
        },
        {
            content: "Send",
            trigger: ".o_mail_send",
            run: "click",
        },
        {
            content: "The message is in the chatter",
            trigger: ".o-mail-Message-body:contains('Following up on the fleet')",
        },
        {
            content: "The suggestion is still the email, still checked",
            trigger: ".o-mail-Chatter-sendMessage",
            run: "click",
        },
        {
            trigger: `.o-mail-SuggestedRecipient:not([data-partner-id]):contains('${EMAIL}') input:checked`,
        },
    ],
});
