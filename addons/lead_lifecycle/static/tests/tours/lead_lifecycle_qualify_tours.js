/** @odoo-module **/
// Copyright 2026 lead_lifecycle authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import {registry} from "@web/core/registry";

const openQualificationTab = [
    {
        content: "Open the Qualification tab",
        trigger: ".o_notebook .nav-link:contains('Qualification')",
        run: "click",
    },
];

const confirmQualified = [
    {
        content: "Confirm",
        trigger: ".modal button[name=action_qualify]",
        run: "click",
    },
    {
        content: "The lead is Qualified",
        trigger:
            ".o_field_widget[name=lifecycle_state] .o_arrow_button_current:contains('Qualified')",
    },
];

registry.category("web_tour.tours").add("lead_lifecycle_telemarketer_tour", {
    steps: () => [
        {
            content: "A lead nobody talked with yet is New",
            trigger:
                ".o_field_widget[name=lifecycle_state] .o_arrow_button_current:contains('New')",
        },
        ...openQualificationTab,
        {
            content: "No call logged yet",
            trigger: ".o_field_widget[name=call_count]:contains('0')",
        },
        {
            content: "The checklist says a conversation is missing",
            trigger: ".o_lead_lifecycle_checklist li.text-danger:contains('two-way interaction')",
        },
        {
            content: "Log the call: open the chatter's activity dialog",
            trigger: ".o-mail-Chatter-topbar button:contains('Activities')",
            run: "click",
        },
        {
            content: "Choose the Call activity type",
            trigger: ".modal .o_field_widget[name=activity_type_id] input",
            run: "edit Call",
        },
        {
            content: "Pick 'Call' in the dropdown",
            trigger: ".o-autocomplete--dropdown-item a:contains('Call')",
            async run(helpers) {
                const item = [
                    ...document.querySelectorAll(".o-autocomplete--dropdown-item a"),
                ].find((a) => a.textContent.trim() === "Call");
                await helpers.click(item || helpers.anchor);
            },
        },
        {
            content: "Say what was discussed",
            trigger: ".modal .o_field_widget[name=summary] input",
            run: "edit Discussed the fleet project",
        },
        {
            content: "The call took place: mark it as done right away",
            trigger: ".modal button[name=action_schedule_activities_done]",
            run: "click",
        },
        {
            content: "The done call is in the chatter",
            trigger: ".o-mail-Message:contains('Discussed the fleet project')",
        },
        {
            content: "Back to the leads (the form shows the counts as of its loading)",
            trigger: ".o_breadcrumb .breadcrumb-item a",
            run: "click",
        },
        {
            content: "Find the lead (whatever the number of leads in the database)",
            trigger: ".o_searchview_input",
            run: "edit Tour lead: 40 trucks && press Enter",
        },
        {
            content: "Open the lead again",
            trigger: ".o_data_row .o_data_cell:contains('Tour lead: 40 trucks')",
            run: "click",
        },
        {
            content: "The lead we talked with is Contacted",
            trigger:
                ".o_field_widget[name=lifecycle_state] .o_arrow_button_current:contains('Contacted')",
        },
        ...openQualificationTab,
        {
            content: "The logged call is counted",
            trigger: ".o_field_widget[name=call_count]:contains('1')",
        },
        {
            content: "The checklist updated: the conversation is met, the budget still missing",
            trigger:
                ".o_lead_lifecycle_checklist:has(li.text-success:contains('two-way interaction')) " +
                "li.text-danger:contains('budget')",
        },
        {
            content: "Rate the lead B",
            trigger: ".o_field_widget[name=rating] select",
            run: 'select "b"',
        },
        {
            content: "The rating shows B",
            trigger: ".o_field_widget[name=rating] select:has(option:selected:contains('B - Small project'))",
        },
        {
            content: "Enter the budget the lead told us",
            trigger: ".o_field_widget[name=bant_budget] input",
            run: "edit 25000",
        },
        {
            content: "Save",
            trigger: ".o_form_button_save",
            run: "click",
        },
        {
            content: "Every requirement is met now",
            trigger:
                ".o_lead_lifecycle_checklist:not(:has(li.text-danger)) li.text-success:contains('budget')",
        },
        {
            content: "Qualify",
            trigger: ".o_statusbar_buttons button[name=action_open_qualify_wizard]",
            run: "click",
        },
        {
            content: "The dialog shows the met checklist",
            trigger: ".modal .o_lead_lifecycle_checklist li.text-success",
        },
        ...confirmQualified,
        {
            content: "The new contact is the lead's customer",
            trigger: ".o_field_widget[name=partner_id] input:value('Acme Logistics, Jane Doe')",
        },
        {
            content: "The rating B is kept",
            trigger: ".o_field_widget[name=rating] select:has(option:selected:contains('B - Small project'))",
        },
    ],
});

registry.category("web_tour.tours").add("lead_lifecycle_manager_override_tour", {
    steps: () => [
        {
            content: "A lead nobody talked with is New",
            trigger:
                ".o_field_widget[name=lifecycle_state] .o_arrow_button_current:contains('New')",
        },
        {
            content: "Qualify",
            trigger: ".o_statusbar_buttons button[name=action_open_qualify_wizard]",
            run: "click",
        },
        {
            content: "The dialog names what is missing",
            trigger: ".modal .o_lead_lifecycle_checklist li.text-danger:contains('two-way interaction')",
        },
        {
            content: "Confirming without override is refused",
            trigger: ".modal button[name=action_qualify]",
            run: "click",
        },
        {
            content: "The error names the missing requirement",
            trigger: ".o_error_dialog .modal-body:contains('Missing: 1 two-way interaction')",
        },
        {
            content: "Close the error",
            trigger: ".o_error_dialog .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "As a manager, override the policy",
            trigger: ".modal .o_field_widget[name=override] input",
            run: "click",
        },
        {
            content: "Give the reason",
            trigger: ".modal .o_field_widget[name=override_reason] textarea",
            run: "edit Met the CEO at the fair, project confirmed",
        },
        ...confirmQualified,
        {
            content: "The override and its reason are in the chatter",
            trigger: ".o-mail-Message-body:contains('Met the CEO at the fair, project confirmed')",
        },
    ],
});

registry.category("web_tour.tours").add("lead_lifecycle_salesman_refused_tour", {
    steps: () => [
        {
            content: "Qualify",
            trigger: ".o_statusbar_buttons button[name=action_open_qualify_wizard]",
            run: "click",
        },
        {
            content: "A salesperson gets no override option",
            trigger: ".modal:not(:has(.o_field_widget[name=override]:visible)) .alert-warning:contains('Complete them first')",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=action_qualify]",
            run: "click",
        },
        {
            content: "Refused, naming what is missing",
            trigger: ".o_error_dialog .modal-body:contains('Missing: 1 two-way interaction')",
        },
    ],
});
