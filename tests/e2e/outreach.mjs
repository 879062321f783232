// Outreach as the reports describe it, on a 390x844 phone. A day labour outing in Bergamo
// with a team of three, an English-speaking mediator and the legal operator (set on the
// home before starting: the start stays one tap). At the stop (agriculture, a farm): two
// men and one woman seen but not approached (one tap each), then two contacts in two taps
// each: a man from Nigeria whose sheet says construction (his own sector) and "programme
// proposed" (an outcome), and a woman from Nigeria in the stop's sector. A diary note, with
// its warning that no names belong there. Then an informative session in a CAS in Bergamo:
// 12 men (10 asylum seekers or protection holders) and 5 women (3). The Rust test checks
// the tables: outings, presences, labour sectors, sessions, and the emersion total as the
// sum of its parts.
// Usage: node outreach.mjs URL PIN.
import { runScenario, setPin, shot, tap, waitText, fail } from "./lib.mjs";

const BERGAMO = 'button.comune-option[data-code="016024"]';
const centre = (page, selector) => page.$eval(selector, (e) => e.scrollIntoView({ block: "center" }));
const pressed = (selector) => `${selector}[aria-pressed="true"]`;
const press = async (page, selector) => {
  await page.click(selector);
  await page.waitForSelector(pressed(selector));
};
const endOuting = async (page) => {
  await page.click("#end-outing");
  await page.waitForSelector("#confirm-end");
  await page.click("#confirm-end");
  await page.waitForSelector("#open-settings");
};
// Taps a presence button `times` times, waiting for its count each time.
const presence = async (page, gender, times) => {
  for (let i = 1; i <= times; i++) {
    await page.click(`#presence-${gender}`);
    await waitText(page, `#presence-${gender} span.n`, i);
  }
};

await runScenario(
  "outreach",
  "zz-outreach-failure",
  async (page, pin) => {
    await page.waitForSelector("#pin2");
    await setPin(page, pin);
    await page.waitForSelector("#start-day");

    // 1. The team, on the home of labour outreach: three operators, a mediator speaking
    //    English, the legal operator.
    await page.click('button.seg[data-activity="labour"]');
    await page.waitForSelector("#team");
    const operators = Number((await page.textContent("#team-operators")).trim());
    for (let n = operators; n < 3; n++) await page.click("#team-operators-plus");
    for (let n = operators; n > 3; n--) await page.click("#team-operators-minus");
    await waitText(page, "#team-operators", 3);
    if ((await page.getAttribute("#team-mediator", "aria-pressed")) !== "true") await press(page, "#team-mediator");
    await page.selectOption("#team-mediator-language", "en");
    if ((await page.getAttribute("#team-legal", "aria-pressed")) !== "true") await press(page, "#team-legal");
    await shot(page, "outreach-01-team");
    await page.click("#start-day");

    // 2. The stop: Bergamo, agriculture, at a farm.
    await page.fill("#comune-search", "bergamo");
    await page.click(BERGAMO);
    await page.click("#add-stop");
    await page.waitForSelector("#g-M");
    // The sector block folds once something is chosen: open it again for the setting.
    await page.click('#stop-sector button[data-sector="agriculture"]');
    await page.waitForSelector(pressed('#stop-sector button[data-sector="agriculture"]'), { state: "attached" });
    if (!(await page.isVisible("#stop-setting"))) await page.click("details.outreach-line > summary");
    await page.click('#stop-setting button[data-setting="farms"]');
    await page.waitForSelector(pressed('#stop-setting button[data-setting="farms"]'), { state: "attached" });

    // 3. Presences: two men and a woman seen, not approached.
    await presence(page, "M", 2);
    await presence(page, "F", 1);
    await centre(page, "#presence-M");
    await shot(page, "outreach-02-presences-sector");

    // 4. Two contacts, two taps each; the man works in construction and is proposed the
    //    programme.
    await tap(page, "M", "NG");
    await waitText(page, "#total", 1);
    await page.click("#details");
    await page.waitForSelector("#detail-sheet");
    await press(page, '#contact-sector button[data-sector="construction"]');
    await press(page, '#outcomes button[data-code="programme_proposed"]');
    await centre(page, "#outcomes");
    await shot(page, "outreach-03-contact-sector-outcome");
    await page.click("#save-details");
    await page.waitForSelector("#detail-sheet", { state: "detached" });
    await tap(page, "F", "NG");
    await waitText(page, "#total", 2);

    // 5. The diary: the unit's own words, a warning that no names belong there.
    await page.click("#open-diary");
    await page.waitForSelector("#diary-warning");
    if (!(await page.isVisible("#diary-warning"))) fail("the diary hides its warning");
    await page.fill("#diary-text", "Nuovi braccianti al mercato, turnover alto");
    await page.click("#diary-save");
    await page.waitForSelector(".diary-note");
    await shot(page, "outreach-04-diary");
    if (await page.$("#close-diary")) await page.click("#close-diary");
    await endOuting(page);

    // 6. An informative session in a CAS in Bergamo.
    await page.click('button.seg[data-activity="session"]');
    await page.waitForSelector("#session-save");
    await press(page, '#session-place button[data-place="cas"]');
    await page.fill("#session-comune", "bergamo");
    await page.click(BERGAMO);
    await press(page, '#session-themes button[data-theme="trafficking"]');
    await press(page, '#session-themes button[data-theme="rights"]');
    await press(page, '#session-languages button[data-language="en"]');
    await page.fill("#participants-M", "12");
    await page.fill("#participants-F", "5");
    await page.fill("#protection-M", "10");
    await page.fill("#protection-F", "3");
    await centre(page, "#session-save");
    await shot(page, "outreach-05-session-form");
    await page.click("#session-save");
    await page.waitForSelector(".session-row");
    await shot(page, "outreach-06-sessions");
  },
  { width: 390, height: 844 },
);
