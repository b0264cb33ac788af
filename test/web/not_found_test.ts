/**
 * The web console in a real Chromium: an unknown instance or meter in the URL shows only a
 * not-found message with a link back, no empty meter table, tabs or meter facts below it.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserMissing, type PageDocument, startConsole } from "./_console.ts";

// In-page callbacks (page.evaluate, waitForFunction) run in Chromium, where these exist.
declare const document: PageDocument;

const missing = browserMissing();
// deno-lint-ignore no-console
if (missing) console.log(`web console not-found tests skipped: ${missing}`);

const opts = {
  ignore: missing !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
};

/** What the page's main area holds besides the message. */
async function leftovers(page: Page): Promise<number> {
  return await page.evaluate(() =>
    [
      ...document.querySelectorAll(
        "main table, main nav.tabs, main dl, main .actions, main details",
      ),
    ].length
  );
}

Deno.test({
  name:
    "web console: an unknown instance or meter shows only a not-found message with a link back",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const page = await c.page();

    await page.goto(`${c.url}/#/i/nosuch`);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    const alert = page.getByRole("alert");
    assert.equal(await alert.count(), 1);
    assert.equal(await alert.innerText(), 'No instance named "nosuch"');
    // Wait for every load of the page to settle, then nothing else is shown.
    await page.waitForLoadState("networkidle");
    assert.equal(await leftovers(page), 0);
    assert.equal(await page.getByRole("alert").count(), 1);
    await page.getByRole("link", { name: "Back to the instances" }).click();
    await page.getByRole("heading", { name: "bus" }).waitFor();
    assert.equal(new URL(page.url()).hash, "#/");

    // The other tabs of an unknown instance alike.
    await page.goto(`${c.url}/#/i/nosuch/settings`);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    await page.waitForLoadState("networkidle");
    assert.equal(await leftovers(page), 0);

    // A meter of an unknown instance: the instance is what is missing.
    await page.goto(`${c.url}/#/i/nosuch/m/1`);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    assert.equal(
      await page.getByRole("alert").innerText(),
      'No instance named "nosuch"',
    );
    await page.waitForLoadState("networkidle");
    assert.equal(await leftovers(page), 0);

    // An unknown meter of a known instance: links back to the instance and the instances.
    await page.goto(`${c.url}/#/i/bus/m/nosuch`);
    await page.getByRole("heading", { name: "Not found" }).waitFor();
    assert.equal(
      await page.getByRole("alert").innerText(),
      'No meter "nosuch" in bus',
    );
    await page.waitForLoadState("networkidle");
    assert.equal(await leftovers(page), 0);
    await page.getByRole("link", { name: "Back to the instances" }).waitFor();
    await page.getByRole("link", { name: "Back to bus" }).click();
    await page.locator('tr[data-meter="1"]').waitFor();

    // A configured meter still has its page.
    await page.goto(`${c.url}/#/i/bus/m/1`);
    await page.getByRole("heading", { name: "Meter 1" }).waitFor();
    assert.equal(
      await page.getByRole("heading", { name: "Not found" }).count(),
      0,
    );

    // The 404 answers behind the messages are the only errors seen.
    assert.deepEqual(c.errors.filter((e) => !/\b404\b/.test(e)), []);
  },
});
