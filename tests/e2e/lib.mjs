// Shared helpers for the browser tests: Debian's Chromium, headless, at the phone viewport.
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

export const SHOTS = join(dirname(fileURLToPath(import.meta.url)), "screenshots");

// Debian's Chromium, headless, quiet (no background network, no updates).
export function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
    ],
  });
}

// The default phone is 360x740; a scenario may ask for another (`viewport`). `url` is the
// link the app printed, with this launch's secret (`/?t=...`): without it the page is refused.
export async function openPhone(url, viewport = { width: 360, height: 740 }) {
  const browser = await launch();
  const context = await browser.newContext({
    viewport,
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20000);
  const response = await page.goto(url);
  if (!response || response.status() !== 200) fail(`${url} answered ${response?.status()}: open the printed link`);
  await page.waitForSelector("#app");
  return { browser, page };
}

export async function shot(page, name) {
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

// Waits until an element's text is exactly `text`.
export async function waitText(page, selector, text) {
  await page.waitForFunction(
    ([s, t]) => document.querySelector(s)?.textContent?.trim() === t,
    [selector, String(text)],
  );
}

export async function setPin(page, pin) {
  await page.fill("#pin", pin);
  if (await page.$("#pin2")) await page.fill("#pin2", pin);
  await page.click("#unlock");
}

// Two taps: gender, then nationality (a button with that code, among the frequent ones,
// the groups or the search results).
export async function tap(page, gender, nat) {
  await page.click(`#g-${gender}`);
  await page.waitForSelector(`#g-${gender}[aria-pressed="true"]`);
  await page.click(`button.nat[data-code="${nat}"], button.nat-option[data-code="${nat}"]`);
}

export function fail(message) {
  console.error(`e2e: ${message}`);
  process.exit(1);
}

// Runs one scenario script (`node NAME.mjs URL PIN`): a phone at the app's URL, then
// `steps(page, pin)`, at `viewport` if given. On failure: a screenshot named `failureShot`, the error on stderr and
// a failing exit code; the browser is closed either way.
export async function runScenario(name, failureShot, steps, viewport) {
  const [url, pin] = process.argv.slice(2);
  if (!url || !pin) fail(`usage: node ${name}.mjs URL PIN`);
  const { browser, page } = await openPhone(url, viewport);
  try {
    await steps(page, pin);
    console.log(`e2e ${name}: ok`);
  } catch (e) {
    await shot(page, failureShot).catch(() => {});
    console.error(e);
    process.exitCode = 1;
  } finally {
    await browser.close();
  }
}
