// The register of persons in the liveview app, on a 390x844 phone: a person met on one
// night outing is given a short name ("Rosa") in the detail sheet; on the next outing at
// the same comune one tap on her chip in "Conosciuti qui" records her again. On the way,
// the "same person as…" search is shown, used and undone. Both outings are closed.
// Usage: node persons.mjs URL PIN. The Rust test checks the report (one person, two
// contacts) and that the short name is nowhere in the database files.
import { runScenario, setPin, shot, tap, waitText, fail } from "./lib.mjs";

const ROSA = '#known button.known-person[data-name="Rosa"]';

// The sheet opens under the tally: bring a part of it to the middle of the screen.
const centre = (page, selector) => page.$eval(selector, (e) => e.scrollIntoView({ block: "center" }));

await runScenario("persons", "zz-persons-failure", async (page, pin) => {
  await page.waitForSelector("#pin2");
  await setPin(page, pin);
  await page.waitForSelector("#start-night");

  let closed = 0;
  const startInBrescia = async () => {
    await page.click("#start-night");
    await page.waitForSelector("#comune-search");
    await page.fill("#comune-search", "bresc");
    await page.click('button.comune-option[data-code="017029"]');
    await page.click("#add-stop");
    await page.waitForSelector("#g-F");
  };
  const endOuting = async () => {
    await page.click("#end-outing");
    await page.waitForSelector("table.summary-table");
    await page.click("#confirm-end");
    closed += 1;
    await page.waitForFunction(
      (n) => document.querySelectorAll(".outing-row[data-status='closed']").length === n,
      closed,
    );
  };

  // First outing: a person tallied (gender, then nationality), named in the sheet.
  await startInBrescia();
  if (await page.$("#known")) fail("'Conosciuti qui' shown with nobody known");
  await tap(page, "F", "RO");
  await waitText(page, "#total", 1);
  await page.click("#details");
  await page.waitForSelector("#person-name");
  if ((await page.getAttribute("#person-name", "maxlength")) !== "24") fail("the short name has no maxlength 24");
  await page.fill("#person-name", "Rosa");
  await centre(page, "#person-fields");
  await shot(page, "persons-01-sheet-name");
  await page.click("#save-details");
  await page.waitForSelector("#detail-sheet", { state: "detached" });
  await endOuting();

  // Second outing at the same comune: Rosa is known here; one tap records her.
  await startInBrescia();
  await page.waitForSelector(ROSA);
  await shot(page, "persons-02-known-here");
  await page.fill("#known-search", "ros");
  await page.waitForSelector(ROSA);
  await shot(page, "persons-03-known-search");
  await page.fill("#known-search", "");
  await page.click(ROSA);
  await waitText(page, "#total", 1);
  await page.waitForSelector(ROSA, { state: "detached" });
  await page.waitForSelector("#toast");
  if (!(await page.textContent("#toast")).includes("Rosa")) fail("the toast does not name Rosa");
  await shot(page, "persons-04-recorded");

  // "Same person as…": a second person, merged into Rosa, then the merge undone and the
  // person taken back, so the outing keeps only Rosa.
  await tap(page, "F", "NG");
  await waitText(page, "#total", 2);
  await page.click("#details");
  await page.waitForSelector("#merge-search");
  await page.fill("#merge-search", "ros");
  await page.waitForSelector('#merge button.merge-person[data-name="Rosa"]');
  await centre(page, "#person-fields");
  await shot(page, "persons-05-merge-search");
  await page.click('#merge button.merge-person[data-name="Rosa"]');
  await page.waitForSelector("#undo-merge");
  await waitText(page, "#times-met", 3); // twice Rosa, once the merged one
  await centre(page, "#person-fields");
  await shot(page, "persons-06-merged");
  await page.click("#undo-merge");
  await page.waitForSelector("#merge-toast", { state: "detached" });
  await waitText(page, "#times-met", 1);
  await page.click("#close-details");
  await page.waitForSelector("#detail-sheet", { state: "detached" });
  await page.click("#undo");
  await waitText(page, "#total", 1);
  await endOuting();
}, { width: 390, height: 844 });
