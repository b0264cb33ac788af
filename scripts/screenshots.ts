// deno-lint-ignore-file no-console
/**
 * Screenshots of the web console for the README: the simulated buses, a gateway on them and
 * Chromium at desktop (1280 px) and phone (390 px) width, written to
 * docs/screenshots/{desktop,phone}-*.png.
 *
 * Run: `deno task screenshots` (needs /usr/bin/chromium).
 *
 * @module
 */
import type { Page } from "playwright-core";
import {
  browserMissing,
  type PageDocument,
  startConsole,
} from "../test/web/_console.ts";

// In-page callbacks (page.evaluate, waitForFunction) run in Chromium, where these exist.
declare const document: PageDocument;
declare const innerWidth: number;

const OUT = new URL("../docs/screenshots/", import.meta.url).pathname;

async function shoot(
  page: Page,
  name: string,
  fullPage = true,
): Promise<void> {
  await page.waitForTimeout(700);
  await page.screenshot({ path: `${OUT}${name}.png`, fullPage });
  console.log(`wrote docs/screenshots/${name}.png`);
}

async function scanFound(page: Page): Promise<void> {
  await page.getByLabel("From").fill("1");
  await page.getByLabel("To").fill("12");
  await page.getByRole("button", { name: "Scan primary" }).click();
  await page.getByRole("button", { name: "Add 4 to config" }).waitFor({
    timeout: 30_000,
  });
}

const missing = browserMissing();
if (missing) {
  console.error(`Cannot take screenshots: ${missing}`);
  Deno.exit(1);
}
await Deno.mkdir(OUT, { recursive: true });
await using c = await startConsole();
// Let a few polling cycles fill the history for the chart.
await new Promise((r) => setTimeout(r, 8000));

const desktop = await c.page({ width: 1280, height: 800 });
await desktop.goto(`${c.url}/`);
await desktop.getByRole("heading", { name: "radio" }).waitFor();
await shoot(desktop, "desktop-instances");
await desktop.goto(`${c.url}/#/i/bus`);
await desktop.waitForFunction(() =>
  document.querySelector('tr[data-meter="1"]')?.textContent?.includes("KAM")
);
await shoot(desktop, "desktop-meters");
await desktop.goto(`${c.url}/#/i/bus/m/1`);
await desktop.locator(".plot canvas").first().waitFor();
await shoot(desktop, "desktop-meter");
await desktop.goto(`${c.url}/#/i/bus/commission`);
await scanFound(desktop);
await shoot(desktop, "desktop-commission");
await desktop.goto(`${c.url}/#/i/radio`);
await desktop.locator('tr[data-meter="31000001"]').waitFor();
await shoot(desktop, "desktop-wireless");
// The bus monitor, its window only (the list grows with every poll): polls and telegrams.
async function monitor(page: Page, name: string): Promise<void> {
  await page.goto(`${c.url}/#/monitor`);
  await page.locator("li.frame.rx").first().waitFor();
  c.transmit();
  await page.locator('li.frame[data-instance="radio"]').first().waitFor();
  await shoot(page, name, false);
}
await monitor(desktop, "desktop-monitor");

const phone = await c.page({ width: 390, height: 844 });
await phone.goto(`${c.url}/#/i/bus/m/1`);
await phone.locator(".plot canvas").first().waitFor();
await shoot(phone, "phone-meter");
await phone.goto(`${c.url}/#/i/bus`);
await phone.waitForFunction(() =>
  document.querySelector('tr[data-meter="1"]')?.textContent?.includes("KAM")
);
await shoot(phone, "phone-meters");
await phone.goto(`${c.url}/#/i/bus/commission`);
await phone.getByRole("button", { name: "Scan primary" }).waitFor();
await scanFound(phone).catch(() => {});
await shoot(phone, "phone-commission");
await monitor(phone, "phone-monitor");
