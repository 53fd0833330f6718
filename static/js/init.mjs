// Start the GOV.UK Frontend and MoJ Frontend components on the page (served locally; no CDN).
import { initAll as initGovuk } from "/static/govuk/govuk-frontend.min.js";
import { initAll as initMoj } from "/static/moj/moj-frontend.min.js";

initGovuk();
initMoj();
