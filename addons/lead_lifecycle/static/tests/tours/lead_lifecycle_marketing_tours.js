/** @odoo-module **/
// Copyright 2026 lead_lifecycle authors
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import {registry} from "@web/core/registry";

// The file a vendor sends: one valid row, one bad email, one duplicate (Alice twice),
// one blacklisted address (blacklisted by the test), one more valid row.
const RENTED_CSV = [
    "First Name,Last Name,Company,Email,City",
    "Alice,Martin,Acme,alice@acme.example,Brussels",
    "Bob,Durand,Globex,bob@globex.example,Paris",
    "Carol,Bad,Initech,carol(at)initech.example,Lyon",
    "Alice,Martin,Acme,ALICE@acme.example,Brussels",
    "Eve,Black,Umbrella,eve@umbrella.example,Madrid",
].join("\n");

/**
 * The figures a chart shows: its labels and the values of its datasets.
 * Fails the tour when the graph view drew nothing.
 */
function chartData() {
    const canvas = document.querySelector(".o_graph_renderer canvas");
    const chart = canvas && window.Chart && window.Chart.getChart(canvas);
    if (!chart) {
        throw new Error("The graph view shows no chart");
    }
    return {
        labels: chart.data.labels.map(String),
        values: chart.data.datasets.flatMap((dataset) => dataset.data),
    };
}

registry.category("web_tour.tours").add("lead_lifecycle_rented_list_import_tour", {
    steps: () => [
        {
            content: "Create a rented list",
            trigger: ".o_list_button_add",
            run: "click",
        },
        {
            content: "Name it",
            trigger: ".o_field_widget[name=name] input",
            run: "edit Tour fair visitors",
        },
        {
            content: "Choose the vendor",
            trigger: ".o_field_widget[name=vendor_id] input",
            run: "edit Tour List Vendor",
        },
        {
            content: "Pick the vendor",
            trigger: ".o-autocomplete--dropdown-item a:contains('Tour List Vendor')",
            run: "click",
        },
        {
            content: "Enter the rental cost",
            trigger: ".o_field_widget[name=cost] input",
            run: "edit 800",
        },
        {
            content: "Activate the list (saves it)",
            trigger: ".o_statusbar_buttons button[name=action_activate]",
            run: "click",
        },
        {
            content: "The list is Active",
            trigger: ".o_field_widget[name=state] .o_arrow_button_current:contains('Active')",
        },
        {
            content: "Import its contacts",
            trigger: ".o_statusbar_buttons button[name=action_import_contacts]",
            run: "click",
        },
        {
            content: "Upload the vendor's CSV file in the standard import dialog",
            trigger: "button.o_import_file:contains('Upload Data File')",
            run() {
                // The file input behind the button is hidden: give it the file as the
                // browser's file picker would.
                const input = document.querySelector(".o_file_input input[type=file]");
                const transfer = new DataTransfer();
                transfer.items.add(
                    new File([RENTED_CSV], "fair_visitors.csv", {type: "text/csv"})
                );
                input.files = transfer.files;
                input.dispatchEvent(new Event("change", {bubbles: true}));
            },
        },
        {
            content: "The preview maps the Email column",
            trigger: ".o_import_data_content .o_import_file_column_cell:contains('Email')",
        },
        {
            content: "The first row's email is in the preview",
            trigger: ".o_import_data_content:contains('alice@acme.example')",
        },
        {
            content: "Import",
            trigger: ".o_control_panel button.btn-primary:contains('Import')",
            run: "click",
        },
        {
            content: "Back on the list: 5 rows imported",
            trigger:
                ".o_form_view button[name=action_view_contacts] .o_stat_value:contains('5')",
        },
        {
            content: "4 of them are valid",
            trigger: ".o_form_view button[name=action_view_valid] .o_stat_value:contains('80')",
        },
        {
            content: "The blacklisted row is suppressed",
            trigger:
                ".o_form_view button[name=action_view_suppressed] .o_stat_value:contains('1')",
        },
        {
            content: "Open the rows",
            trigger: ".o_form_view button[name=action_view_contacts]",
            run: "click",
        },
        {
            content: "A well-formed address is valid",
            trigger:
                ".o_data_row:has(td[name=email]:contains('bob@globex.example')) " +
                "td[name=validity]:contains('Valid')",
        },
        {
            content: "A malformed address is flagged",
            trigger:
                ".o_data_row:has(td[name=email]:contains('carol(at)initech.example')) " +
                "td[name=validity]:contains('Invalid Email')",
        },
        {
            content: "Alice's second row is a duplicate",
            trigger: ".o_data_row td[name=match_status]:contains('Duplicate in List')",
        },
        {
            content: "The blacklisted address is flagged",
            trigger:
                ".o_data_row:has(td[name=email]:contains('eve@umbrella.example')) " +
                "td[name=match_status]:contains('Blacklisted')",
        },
    ],
});

registry.category("web_tour.tours").add("lead_lifecycle_rented_list_promote_tour", {
    steps: () => [
        {
            content: "One contact of the list responded",
            trigger: ".o_form_view .o_field_widget[name=responded_count]:contains('1')",
        },
        {
            content: "Open the other smart buttons",
            trigger: ".o_form_view .o-form-buttonbox button:contains('More')",
            run: "click",
        },
        {
            content: "Open the responses",
            trigger: ".o-dropdown--menu button[name=action_view_responded]:contains('Responded')",
            run: "click",
        },
        {
            content: "Bob replied",
            trigger:
                ".o_data_row:has(td[name=email]:contains('bob@globex.example')) " +
                "td[name=response]:contains('Replied')",
        },
        {
            content: "Open Bob",
            trigger: ".o_data_row td[name=email]:contains('bob@globex.example')",
            run: "click",
        },
        {
            content: "Promote him to a lead",
            trigger: ".o_statusbar_buttons button[name=action_promote]",
            run: "click",
        },
        {
            content: "The new lead is listed with Bob's email",
            trigger: ".o_list_view .o_data_row td:contains('bob@globex.example')",
        },
        {
            content: "Open it",
            trigger: ".o_list_view .o_data_row .o_data_cell:contains('Globex')",
            run: "click",
        },
        {
            content: "The lead is named after Bob's company",
            trigger: ".o_field_widget[name=name] textarea:value('Globex'), .o_field_widget[name=name] input:value('Globex')",
        },
        {
            content: "Open the Extra Info tab",
            trigger: ".o_notebook .nav-link:contains('Extra Info')",
            run: "click",
        },
        {
            content: "The lead comes from the rented list",
            trigger: ".o_field_widget[name=rented_list_id]:contains('Tour fair visitors')",
        },
        {
            content: "and it is New: nobody talked with Bob yet",
            trigger:
                ".o_field_widget[name=lifecycle_state] .o_arrow_button_current:contains('New')",
        },
    ],
});

registry.category("web_tour.tours").add("lead_lifecycle_reporting_tour", {
    steps: () => [
        {
            content: "Campaigns: the fair brought 3 leads",
            trigger:
                ".o_data_row:has(td[name=campaign_id]:contains('Tour Fair 2026')) " +
                "td[name=lead_count]:contains('3')",
        },
        {
            content: "and 12,000 of won revenue",
            trigger:
                ".o_data_row:has(td[name=campaign_id]:contains('Tour Fair 2026')) " +
                "td[name=won_revenue]:contains('12,000')",
        },
        {
            content: "Switch to the graph",
            trigger: ".o_switch_view.o_graph",
            run: "click",
        },
        {
            content: "The graph shows the fair's won revenue",
            trigger: ".o_graph_renderer canvas",
            run() {
                const {labels, values} = chartData();
                if (!labels.includes("Tour Fair 2026") || !values.includes(12000)) {
                    throw new Error(
                        `Campaign graph: expected Tour Fair 2026 at 12000, got ${labels} / ${values}`
                    );
                }
            },
        },
        {
            content: "Open the Reporting menu",
            trigger: ".o_main_navbar button.dropdown-toggle:contains('Reporting')",
            run: "click",
        },
        {
            content: "Open Response Time",
            trigger: ".o-dropdown--menu .dropdown-item:contains('Response Time')",
            run: "click",
        },
        {
            content: "Response Time opens on its graph",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "The graph shows the response-delay buckets of our leads",
            trigger: ".o_breadcrumb:contains('Response Time')",
            run() {
                const {labels} = chartData();
                if (!labels.includes("< 1 h") || !labels.includes("Never")) {
                    throw new Error(`Response time graph: unexpected buckets ${labels}`);
                }
            },
        },
        {
            content: "Switch to the pivot",
            trigger: ".o_switch_view.o_pivot",
            run: "click",
        },
        {
            content: "The pivot lists the salesperson",
            trigger: ".o_pivot th:contains('Rita Reporter')",
        },
        {
            content: "and the buckets as columns",
            trigger: ".o_pivot th:contains('< 1 h')",
        },
    ],
});
