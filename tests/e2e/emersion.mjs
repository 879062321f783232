// Emersion beyond the outing, on a 390x844 phone: Joy (F, Nigeria) is met on a day street
// outing in Bergamo and named in the sheet; she then comes to the drop-in desk in Bergamo
// (a desk session: comune, operators and the mediator's language up front), is one tap in
// "Conosciuti qui", the programme is proposed to her (an outcome of the contact), and
// from the sheet she is interviewed twice: first "in progress, waiting", then identified
// (sexual exploitation, street) and joins the programme. A helpline report is recorded,
// edited and listed. Last, the interview form at desk width (1280x900).
// Usage: node emersion.mjs URL PIN. The Rust test checks every table counts Joy once.
import { runScenario, setPin, shot, tap, waitText, fail } from "./lib.mjs";

const BERGAMO = 'button.comune-option[data-code="016024"]';
const JOY = '#known button.known-person[data-name="Joy"]';
const centre = (page, selector) => page.$eval(selector, (e) => e.scrollIntoView({ block: "center" }));
const chip = (group, code) => `#${group} button[data-code="${code}"]`;
const press = async (page, group, code) => {
  await page.click(chip(group, code));
  await page.waitForSelector(`${chip(group, code)}[aria-pressed="true"]`);
};
const endOuting = async (page) => {
  await page.click("#end-outing");
  await page.waitForSelector("#confirm-end");
  await page.click("#confirm-end");
  await page.waitForSelector("#open-settings");
};

await runScenario("emersion", "zz-emersion-failure", async (page, pin) => {
  await page.waitForSelector("#pin2");
  await setPin(page, pin);
  await page.waitForSelector("#start-day");

  // 1. A day street outing in Bergamo: Joy tallied and named.
  await page.click("#start-day");
  await page.fill("#comune-search", "bergamo");
  await page.click(BERGAMO);
  await page.click("#add-stop");
  await page.waitForSelector("#g-F");
  await tap(page, "F", "NG");
  await waitText(page, "#total", 1);
  await page.click("#details");
  await page.fill("#person-name", "Joy");
  await page.click("#save-details");
  await page.waitForSelector("#detail-sheet", { state: "detached" });
  await endOuting(page);

  // 2. The desk: its comune, two operators, an English-speaking mediator.
  await page.click('button.seg[data-activity="desk"]');
  await page.waitForSelector("#start-desk");
  if (!(await page.isDisabled("#start-desk"))) fail("a desk session can start without its comune");
  await page.fill("#desk-comune", "bergamo");
  await page.click(BERGAMO);
  await page.selectOption("#desk-mediator", "en");
  await shot(page, "emersion-01-start-desk");
  await page.click("#start-desk");
  await page.waitForSelector("#desk-mediator-shown");
  if ((await page.textContent("#current-stop")) !== "Bergamo (BG)") fail("the desk's comune is not its stop");
  if (await page.$("#change-stop")) fail("a desk session offers to change its stop");

  // Joy comes to the desk: one tap.
  await page.waitForSelector(JOY);
  await shot(page, "emersion-02-desk-known");
  await page.click(JOY);
  await waitText(page, "#total", 1);

  // The programme proposed: an outcome of this contact.
  await page.click("#details");
  await page.waitForSelector(chip("outcomes", "programme_proposed"));
  await press(page, "outcomes", "programme_proposed");
  await centre(page, "#outcomes");
  await shot(page, "emersion-03-outcomes");
  await page.click("#save-details");
  await page.waitForSelector("#detail-sheet", { state: "detached" });

  // 3. First interview, from the sheet: still in progress, waiting.
  await page.click("#details");
  await page.click("#interview-person");
  await page.waitForSelector("#interview-form");
  if ((await page.inputValue("#interview-province")) !== "BG") fail("the interview does not default to the desk's province");
  await press(page, "interview-kind", "social");
  await press(page, "verdict", "pending");
  await press(page, "adhesion", "waiting");
  await press(page, "channel", "street_unit");
  await page.$eval("#interview-form", (e) => e.scrollIntoView({ block: "start" }));
  await shot(page, "emersion-04-interview-form");
  await page.click("#save-interview");
  await page.waitForSelector("#interview-form", { state: "detached" });
  await waitText(page, "#interview-count", 1);
  await page.waitForSelector('#state .state-line[data-field="verdict"]');

  // Second interview: identified, sexual exploitation on the street, joins the programme.
  await page.click("#new-interview");
  await page.waitForSelector("#interview-form");
  await press(page, "verdict", "yes");
  await press(page, "typology", "sexual_street");
  await press(page, "adhesion", "yes");
  await press(page, "indicators", "debt");
  await press(page, "indicators", "ritual");
  await press(page, "minor", "no");
  await page.click("#save-interview");
  await page.waitForSelector("#interview-form", { state: "detached" });
  await waitText(page, "#interview-count", 2);
  const verdict = await page.textContent('#state .state-line[data-field="verdict"] dd');
  if (!verdict.includes("Identificata")) fail(`the state says ${verdict}`);
  const adhesion = await page.textContent('#state .state-line[data-field="adhesion"] dd');
  if (!adhesion.includes("Adesione")) fail(`the adhesion says ${adhesion}`);
  await shot(page, "emersion-05-person-card");

  // Back to the desk session, closed.
  await page.click("#back");
  await page.waitForSelector("#end-outing");
  await endOuting(page);

  // 4. A helpline report: recorded, edited (the outcome learnt later), listed.
  await page.click('button.seg[data-activity="desk"]');
  await page.click("#open-helpline");
  await page.click("#new-report");
  await page.waitForSelector("#helpline-form");
  await page.selectOption("#report-province", "BG");
  await page.click("#report-g-F");
  await page.fill("#report-nat-search", "albania");
  await page.click("button.report-nat-option[data-code=AL]");
  await press(page, "report-source", "agency");
  await press(page, "report-help", "shelter");
  await press(page, "report-help", "legal");
  await shot(page, "emersion-06-helpline-form");
  await page.click("#save-report");
  await page.waitForSelector("#helpline-form", { state: "detached" });
  await page.waitForSelector(".report-row");
  await page.click(".report-row .edit-report");
  await press(page, "report-outcome", "taken");
  await page.click("#save-report");
  await page.waitForSelector("#helpline-form", { state: "detached" });
  const row = await page.textContent(".report-row");
  if (!row.includes("Presa in carico")) fail(`the report row says ${row}`);
  if ((await page.$$(".report-row")).length !== 1) fail("editing a report added one");
  await shot(page, "emersion-07-helpline-list");
  await page.click("#back");

  // 5. The register at desk width: Joy's card and the interview form in two columns.
  const desk = await page.context().browser().newContext({ viewport: { width: 1280, height: 900 } });
  const wide = await desk.newPage();
  wide.setDefaultTimeout(20000);
  await wide.goto(process.argv[2]);
  await wide.waitForSelector("#app");
  if (await wide.$("#pin")) await setPin(wide, pin);
  await wide.waitForSelector("#open-settings");
  await wide.click('button.seg[data-activity="desk"]');
  await wide.click("#open-persons");
  await wide.fill("#register-search", "jo");
  await wide.click('#register button.register-person[data-name="Joy"]');
  await wide.waitForSelector("#new-interview");
  await waitText(wide, "#interview-count", 2);
  await wide.click("#new-interview");
  await wide.waitForSelector("#interview-form");
  await shot(wide, "emersion-08-interview-form-desk-width");
  await wide.click("#close-interview");
  await desk.close();
}, { width: 390, height: 844 });
