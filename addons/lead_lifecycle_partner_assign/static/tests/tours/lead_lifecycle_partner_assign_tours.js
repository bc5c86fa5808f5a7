/** @odoo-module **/
// Copyright 2026 lead_lifecycle authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import {registry} from "@web/core/registry";

// 1. A manager passes a qualified lead to a reseller from the lead's form.
registry.category("web_tour.tours").add("lead_lifecycle_partner_assign_pass_tour", {
    steps: () => [
        {
            content: "Open the Assigned Partner tab",
            trigger: ".o_notebook a[name=assigned_partner]",
            run: "click",
        },
        {
            content: "Choose the reseller",
            trigger: ".o_field_widget[name=partner_assigned_id] input",
            run: "edit Tour Resellers",
        },
        {
            trigger: ".o-autocomplete--dropdown-item a:contains(Tour Resellers)",
            run: "click",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "The hand-over is recorded",
            trigger: ".o_field_widget[name=distributor_state]:contains(Awaiting Answer)",
        },
    ],
});

// 2. The reseller accepts the lead on the portal, then (3) reports it won.
registry.category("web_tour.tours").add("lead_lifecycle_partner_assign_portal_tour", {
    steps: () => [
        {
            content: "I'm interested",
            trigger: "a[title=\"I'm interested\"]",
            run: "click",
        },
        {
            trigger: ".modal_partner_assign_interested .comment_interested",
            run: "edit We call them today",
        },
        {
            trigger: ".modal_partner_assign_interested .contacted_interested",
            run: "click",
        },
        {
            trigger: ".modal_partner_assign_interested .interested_partner_assign_confirm",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Back on My Leads: the lead became the reseller's opportunity",
            trigger: "body:not(:has(.modal_partner_assign_interested))",
        },
    ],
});

registry.category("web_tour.tours").add("lead_lifecycle_partner_assign_outcome_tour", {
    steps: () => [
        {
            content: "Report the outcome",
            trigger: ".o_distributor_outcome_form select[name=outcome]",
            run: "select won",
        },
        {
            trigger: ".o_distributor_outcome_form input[name=amount]",
            run: "edit 4321",
        },
        {
            trigger: ".o_distributor_outcome_submit",
            run: "click",
            expectUnloadPage: true,
        },
        {
            content: "Won, with the amount",
            trigger: ".o_distributor_outcome:contains(Won on)",
        },
    ],
});

// 4. The campaign report shows the indirect revenue.
registry.category("web_tour.tours").add("lead_lifecycle_partner_assign_report_tour", {
    steps: () => [
        {
            content: "Search the campaign",
            trigger: ".o_searchview_input",
            run: "edit Spring launch",
        },
        {
            trigger: ".o_searchview_input",
            run: "press Enter",
        },
        {
            content: "The campaign's row shows the indirect revenue",
            trigger:
                ".o_data_row:contains(Spring launch) td[name=indirect_revenue]:contains(4,321)",
        },
    ],
});
