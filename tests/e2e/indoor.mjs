// An indoor session in the liveview app, with the keyboard as at a desk: set a PIN,
// choose Indoor, start a session in Brescia, record 5 ads (2 sharing a number), 6 calls
// and messages, 1 person met, end the session. Usage: node indoor.mjs URL PIN.
// The Rust test checks the report JSON afterwards.
import { runScenario, setPin, shot, waitText, fail } from "./lib.mjs";

await runScenario("indoor", "zz-indoor-failure", async (page, pin) => {
  await page.waitForSelector("#pin2");
  await setPin(page, pin);
  await page.waitForSelector('button[data-activity="indoor"]');
  await page.click('button[data-activity="indoor"]');
  await page.waitForSelector("#indoor-province");
  await page.selectOption("#indoor-province", "BS");
  await page.fill("#indoor-operators", "2");
  await shot(page, "i01-indoor-home");
  await page.click("#start-indoor");
  await page.waitForSelector("#ad-form");

  let ads = 0;
  // A new ad: site and nationality by keyboard, gender by tap (both remembered), the number,
  // Enter to save.
  const ad = async ({ site, nat, gender, number, age }) => {
    if (site) await page.selectOption("#ad-site", site);
    if (nat) {
      await page.fill("#ad-nat-search", nat.query);
      await page.click(`button.ad-nat-option[data-code="${nat.code}"]`);
      await page.waitForSelector(`#ad-nat[data-code="${nat.code}"]`);
    }
    if (gender) {
      await page.click(`#ad-g-${gender}`);
      await page.waitForSelector(`#ad-g-${gender}[aria-pressed="true"]`);
    }
    if (age) await page.fill("#ad-age", String(age));
    if (number) {
      await page.fill("#ad-number", number);
      await page.waitForSelector("#number-history");
    }
    await page.press("#ad-age", "Enter");
    ads += 1;
    await waitText(page, "#f-ads", ads);
    await page.waitForSelector("#current-ad");
  };
  const attempt = async (channel, outcome) => {
    await page.click(`#current-ad button[data-channel="${channel}"]`);
    await page.waitForSelector(`#current-ad button[data-channel="${channel}"].on`);
    const before = Number(await page.textContent("#f-calls")) + Number(await page.textContent("#f-messages"));
    await page.click(`#current-ad button.outcome[data-outcome="${outcome}"]`);
    await page.waitForFunction(
      (n) => Number(document.querySelector("#f-calls").textContent) +
        Number(document.querySelector("#f-messages").textContent) === n,
      before + 1,
    );
  };

  // 1. Brazil, T, a number: called, reached; then met.
  await ad({ site: "moscarossa", nat: { query: "brasi", code: "BR" }, gender: "T", number: "+39 333 111 2222", age: 27 });
  if (!(await page.isVisible("#call-link"))) fail("no call link for the ad's number");
  const tel = await page.getAttribute("#call-link", "href");
  if (tel !== "tel:+393331112222") fail(`call link ${tel}`);
  await attempt("call", "reached");
  await shot(page, "i02-ad-called");
  await page.click("#met");
  await waitText(page, "#f-met", 1);
  // The person met: details as then known, kit pre-filled; saved as is.
  await page.waitForSelector("#detail-sheet");
  await page.click("#save-details");
  await page.waitForSelector("#detail-sheet", { state: "detached" });
  // 2. Same site, nationality and gender remembered; another number; no answer, then WhatsApp reached.
  await ad({ number: "347 555 0001" });
  await attempt("call", "no_answer");
  await attempt("whatsapp", "reached");
  // 3. Romania, F, the same number as ad 2 typed differently: the app says it is known.
  await ad({ site: "bakecaincontri", nat: { query: "roman", code: "RO" }, gender: "F", number: "+39 347-5550001" });
  await attempt("call", "controller");
  // 4. Not declared, F, no number.
  await page.click("#ad-nat-zz");
  await ad({});
  // 5. China, F, a third number: an SMS with an automatic reply, a call reached.
  await ad({ nat: { query: "cina", code: "CN" }, number: "0039 320 777 8888" });
  await attempt("sms", "auto_reply");
  await attempt("call", "reached");
  await waitText(page, "#f-calls", 4);
  await waitText(page, "#f-messages", 2);
  // Contacts are persons reached by a call: the WhatsApp answered is a message, apart.
  await waitText(page, "#f-contacts", 2);
  const shared = await page.$$eval("li.ad-row .warn", (els) => els.length);
  if (shared !== 2) fail(`${shared} ads flagged as sharing a number, expected 2`);
  await shot(page, "i03-session");
  await page.click("#end-session");
  await page.waitForSelector('button[data-activity="indoor"]');
  await page.click('button[data-activity="indoor"]');
  await page.waitForSelector(".session-row[data-status='closed']");
  await shot(page, "i04-home-after");
});
