// The coordinators' console in a real browser, in stages driven by the server's Rust test
// (platforms/server/tests/it/console_e2e.rs), which syncs a phone between them. The
// session is kept across stages in a storage state file.
//
// Usage: node console.mjs STAGE BASE_URL STATE_DIR PARAMS_JSON
//   review   sign-in page, the one-time link, set the password, return the shift
//            (params: link, shift)
//   approve  the corrected shift is "da rivedere" again: approve it, then close May 2024
//            for the unit on Periodi (params: shift, unit, revision)
//   after    the shift still shows the approved revision, the audit trail lists the
//            return, approval and closing; a project's coordinator sets targets;
//            screenshots of every page (params: shift, revision, project_link, outings)
//
// Screenshots: tests/e2e/screenshots/console-PAGE-WIDTH.png at 1280x800 and 360x740; at
// 360 px no page may scroll sideways at the body level (tables scroll in `.scroll`).
import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";
import { SHOTS, launch, fail } from "./lib.mjs";

const [stage, base, dir, json] = process.argv.slice(2);
if (!stage || !base || !dir || !json) fail("usage: node console.mjs STAGE BASE_URL STATE_DIR PARAMS_JSON");
const params = JSON.parse(json);
const statePath = join(dir, "console-state.json");
const WIDE = { width: 1280, height: 800 };
const NARROW = { width: 360, height: 740 };
// Pages wider than the phone at 360 px, reported all at once after every screenshot.
const overflows = [];

function expect(cond, message) {
  if (!cond) throw new Error(message);
}

async function bodyText(page) {
  return (await page.textContent("body")).replace(/\s+/g, " ");
}

// Screenshots of the current page at both widths, and the 360 px overflow check.
async function shots(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.setViewportSize(WIDE);
  await page.screenshot({ path: join(SHOTS, `console-${name}-1280.png`), fullPage: true });
  await page.setViewportSize(NARROW);
  const { scroll, inner } = await page.evaluate(() => ({
    scroll: document.documentElement.scrollWidth,
    inner: window.innerWidth,
  }));
  if (scroll > inner) overflows.push(`${name}: ${scroll}px wide at ${inner}px`);
  await page.screenshot({ path: join(SHOTS, `console-${name}-360.png`), fullPage: true });
  await page.setViewportSize(WIDE);
}

async function go(page, path) {
  const resp = await page.goto(base + path);
  expect(resp && resp.ok(), `${path}: HTTP ${resp && resp.status()}`);
}

// The shift's badge, once it says `words`.
async function badge(page, state, words) {
  const sel = `.box .state.${state}`;
  await page.waitForSelector(sel);
  const text = (await page.textContent(sel)).trim();
  expect(text === words, `the shift's state reads "${text}", expected "${words}"`);
}

const stages = {
  async review(page) {
    await go(page, "/console/sign-in");
    await page.waitForSelector("input[name=password]");
    await shots(page, "sign-in");

    await go(page, params.link);
    await page.waitForSelector("input[name=again]");
    await shots(page, "link");
    await page.fill("input[name=password]", "una password lunga e sicura");
    await page.fill("input[name=again]", "una password lunga e sicura");
    await Promise.all([page.waitForURL("**/console/shifts"), page.click("form button")]);

    // The synced outing is on Turni: open it, return it with "provincia errata".
    const link = `a.shift[href="/console/shifts/${params.shift}"]`;
    await page.waitForSelector(link);
    expect((await page.$$("a.shift")).length === params.outings, "every synced outing is listed");
    await Promise.all([page.waitForURL(`**/console/shifts/${params.shift}`), page.click(link)]);
    await badge(page, "to_review", "da rivedere");
    await page.selectOption("select[name=reason]", "province");
    await Promise.all([page.waitForNavigation(), page.click("#return")]);
    await badge(page, "returned", "restituita: provincia errata");
  },

  async approve(page) {
    // The correction is to review again, in the list filtered by state and on its page.
    await go(page, "/console/shifts?state=to_review");
    const row = `tr:has(a.shift[href="/console/shifts/${params.shift}"])`;
    await page.waitForSelector(row);
    const words = (await page.textContent(`${row} .state`)).trim();
    expect(words === "da rivedere", `the corrected shift reads "${words}" in the list`);
    await page.click(`${row} a.shift`);
    await badge(page, "to_review", "da rivedere");
    const info = await bodyText(page);
    expect(info.includes(`revisione ${params.revision}`), `the page shows revision ${params.revision}: ${info}`);
    await Promise.all([page.waitForNavigation(), page.click("#approve")]);
    await badge(page, "approved", "approvata");
    expect(await page.isDisabled("#approve"), "an approved revision cannot be approved again");

    // Close May 2024 for the unit.
    await go(page, "/console/periods");
    await page.selectOption("select[name=for]", `unit:${params.unit}`);
    await page.fill("input[name=period]", "2024-05");
    await Promise.all([page.waitForURL("**/console/periods"), page.click("#close-period")]);
    await page.waitForSelector('form[action$="/reopen"] button');
    const text = await bodyText(page);
    expect(text.includes("2024-05-01 – 2024-05-31"), `the closed month is listed: ${text}`);
    expect(!(await page.$("p.error")), "no error");
  },

  async after(page, browser) {
    // A coordinator of the whole project sets targets and sees them against the actual
    // figures (a unit's coordinator has none to see).
    const other = await browser.newContext({ viewport: WIDE });
    const p2 = await other.newPage();
    p2.setDefaultTimeout(15000);
    await go(p2, params.project_link);
    await p2.fill("input[name=password]", "la password del progetto");
    await p2.fill("input[name=again]", "la password del progetto");
    await Promise.all([p2.waitForURL("**/console/shifts"), p2.click("form button")]);
    await go(p2, "/console/targets");
    for (const [indicator, stage, value] of [["outings", "final", "6"], ["contacts", "intermediate", "40"]]) {
      await p2.selectOption("select[name=indicator]", indicator);
      await p2.selectOption("select[name=stage]", stage);
      await p2.fill("form input[name=period]", "2024");
      await p2.fill("input[name=value]", value);
      await Promise.all([p2.waitForNavigation(), p2.click("form[action='/console/targets'] button")]);
      expect(!(await p2.$("p.error")), `the target ${indicator} is saved`);
    }
    const outings = await p2.textContent("tr:has(td:text-is('Uscite')) td:nth-child(5)");
    expect(outings.trim() === String(params.outings), `actual outings: ${outings}, expected ${params.outings}`);
    await shots(p2, "targets");
    await other.close();


    // The server refused the later revision: the page still shows the approved one.
    await go(page, `/console/shifts/${params.shift}`);
    await badge(page, "approved", "approvata");
    const info = await bodyText(page);
    expect(info.includes(`revisione ${params.revision}`), `still revision ${params.revision}: ${info}`);
    expect(info.includes("restituita: provincia errata"), "the history keeps the return");
    await shots(page, "shift");

    await go(page, "/console/audit");
    const audit = await bodyText(page);
    for (const action of ["review.return", "review.approve", "period.close", "coordinator.password"]) {
      expect(audit.includes(action), `the audit trail lists ${action}`);
    }
    await shots(page, "audit");

    await go(page, "/console/shifts");
    await page.waitForSelector("a.shift");
    await shots(page, "shifts");
    await go(page, "/console/units");
    await shots(page, "units");
    await go(page, "/console/periods");
    await page.waitForSelector('form[action$="/reopen"]');
    await shots(page, "periods");
    await go(page, "/console/reports?kind=street&period=2024-05");
    await page.waitForSelector("table caption");
    const tables = await bodyText(page);
    expect(tables.includes("XLSX") && tables.includes("CSV"), "the downloads are offered");
    await shots(page, "reports");
    await go(page, "/console/reports?kind=services&period=2024-05");
    await page.waitForSelector("table caption");
    await shots(page, "reports-services");
    await go(page, "/console/targets");
    await shots(page, "targets-unit");
    await go(page, "/console/charts?period=2024");
    await page.waitForSelector("svg");
    await shots(page, "charts");
    await go(page, "/console/account");
    await shots(page, "account");

    // English, from the header's link, back on the same page.
    await go(page, "/console/reports?kind=street&period=2024-05");
    await Promise.all([page.waitForURL("**/console/reports?**"), page.click("a[hreflang=en]")]);
    await page.waitForSelector("html[lang=en]");
    const en = await bodyText(page);
    expect(en.includes("Report tables") && en.includes("Shifts"), `the page is in English: ${en.slice(0, 200)}`);
    await shots(page, "reports-en");
  },
};

const steps = stages[stage];
if (!steps) fail(`unknown stage ${stage}`);
const browser = await launch();
try {
  const context = await browser.newContext({
    viewport: WIDE,
    storageState: existsSync(statePath) ? statePath : undefined,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(15000);
  try {
    await steps(page, browser);
    await context.storageState({ path: statePath });
    if (overflows.length) throw new Error(`pages wider than 360 px: ${overflows.join("; ")}`);
    console.log(`e2e console ${stage}: ok`);
  } catch (e) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, `console-failure-${stage}.png`), fullPage: true }).catch(() => {});
    console.error(`e2e console ${stage}: failed at ${page.url()}`);
    console.error(e);
    process.exitCode = 1;
  }
} finally {
  await browser.close();
}
