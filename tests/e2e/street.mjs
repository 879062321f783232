// A night street outing in the liveview app, as a worker would do it on a phone:
// set a PIN, start a night outing, add a stop, record 12 people of 4 nationalities
// (one +3, one undo), items and a referral on two of them, end the outing.
// Usage: node street.mjs URL PIN. The Rust test checks the report afterwards.
import { runScenario, setPin, shot, tap, waitText, fail } from "./lib.mjs";

await runScenario("street", "zz-failure", async (page, pin) => {
  await page.waitForSelector("#pin2");
  await shot(page, "01-lock-first-pin");
  await setPin(page, pin);

  await page.waitForSelector("#start-night");
  await shot(page, "02-home");
  await page.click("#start-night");

  // The stop: type part of the comune's name, pick it, label it.
  await page.waitForSelector("#comune-search");
  await page.fill("#comune-search", "bresc");
  await page.click('button.comune-option[data-code="017029"]');
  await page.fill("#stop-label", "Via Milano");
  await shot(page, "03-stop");
  await page.click("#add-stop");
  await page.waitForSelector("#g-F");
  await shot(page, "04-tally");

  let total = 0;
  const rec = async (gender, nat, n = 1) => {
    if (n > 1) await page.fill("#count-n", String(n));
    await tap(page, gender, nat);
    total += n;
    await waitText(page, "#total", total);
  };
  const details = async (name, edit) => {
    await page.click("#details");
    await page.waitForSelector("#detail-sheet");
    await edit();
    await shot(page, name);
    await page.click("#save-details");
    await page.waitForSelector("#detail-sheet", { state: "detached" });
  };

  await rec("F", "RO");
  await details("05-details", async () => {
    await page.fill('input[data-item="condoms"]', "5");
    await page.click('label:has(input[data-event="referral.health"]) button.plus');
    // Once counted, the service offers its sub-types.
    await page.waitForSelector('button[data-event="referral"][data-subtype="sti_test"]');
  });
  await rec("F", "RO");
  await rec("F", "NG", 3);
  await rec("M", "AL");
  await rec("T", "BR");
  await rec("F", "NG");
  await rec("M", "RO");
  // Undo the last one.
  await page.click("#undo");
  total -= 1;
  await waitText(page, "#total", total);
  await rec("F", "AL");
  await rec("T", "BR");
  await details("06-details-second", async () => {
    await page.fill('input[data-item="leaflets"]', "2");
    await page.click('label:has(input[data-event="referral.legal"]) button.plus');
    // Once counted, the service offers its sub-types.
    await page.waitForSelector('button[data-event="referral"][data-subtype="questura"]');
  });
  // Brazil found by search this time.
  await page.click("#g-M");
  await page.fill("#nat-search", "brasi");
  await page.click('button.nat-option[data-code="BR"]');
  total += 1;
  await waitText(page, "#total", total);
  await rec("F", "RO");
  if (total !== 12) fail(`recorded ${total}, expected 12`);
  await shot(page, "07-tally-done");

  await page.click("#end-outing");
  await page.waitForSelector("table.summary-table");
  await shot(page, "08-summary");
  await page.click("#confirm-end");
  await page.waitForSelector(".outing-row[data-status='closed']");
  await shot(page, "09-home-after");
  // Hide: a neutral screen, and a neutral window title.
  await page.click("#hide");
  await page.waitForSelector("#hidden");
  await page.waitForFunction(() => document.title !== "Lanterna");
  if ((await page.textContent("body")).includes("Lanterna")) fail("the hidden screen shows the app's name");
  await shot(page, "10-hidden");
});
