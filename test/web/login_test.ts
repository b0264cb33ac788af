/**
 * The console against a gateway with an API token: reading needs none, the first change asks
 * for the token in a dialog, and the change goes through once it is given.
 */
import assert from "node:assert/strict";
import { browserMissing, type PageDocument, startConsole } from "./_console.ts";

// In-page callbacks (page.evaluate, waitForFunction) run in Chromium, where these exist.
declare const document: PageDocument;
declare const innerWidth: number;

const missing = browserMissing();
// deno-lint-ignore no-console
if (missing) console.log(`web console login test skipped: ${missing}`);

Deno.test({
  name:
    "web console: with an API token, a scan asks for the token, refuses a wrong one, and runs with the right one",
  ignore: missing !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using c = await startConsole({ token: "s3cret-token" });
    const page = await c.page();
    await page.goto(`${c.url}/#/i/bus/commission`);
    await page.getByLabel("From").fill("4");
    await page.getByLabel("To").fill("5");
    await page.getByRole("button", { name: "Scan primary" }).click();
    const dialog = page.getByRole("dialog", { name: "Sign in" });
    await dialog.waitFor();
    // Focus lands in the token field (autofocus in a modal dialog).
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      "login-token",
    );
    await dialog.getByLabel("API token").fill("wrong");
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("alert").waitFor();
    assert.match(await page.getByRole("alert").innerText(), /token/i);
    assert.equal(await page.getByRole("progressbar").count(), 0);

    await page.getByRole("button", { name: "Scan primary" }).click();
    await dialog.waitFor();
    await dialog.getByLabel("API token").fill("s3cret-token");
    await dialog.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("progressbar").waitFor();
    await page.getByRole("button", { name: "Add 4 to config" }).waitFor({
      timeout: 20_000,
    });
    await page.getByRole("button", { name: "Sign out" }).waitFor();
    const unexpected = c.errors.filter((e) => !/401/.test(e));
    assert.deepEqual(unexpected, []);
  },
});
