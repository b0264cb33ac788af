/**
 * The analyzer page in Chromium, once the API serves `POST /api/analyze` (skipped, saying
 * why, until then or without Chromium).
 */
import assert from "node:assert/strict";
import { createApp } from "../../src/api/mod.ts";
import { VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "../api/_fake_backend.ts";
import { browserMissing, startConsole } from "./_console.ts";

const hasRoute = createApp(new FakeBackend(new VirtualClock())).routes.some(
  (r) => r.method === "POST" && r.path === "/api/analyze",
);
const missing = browserMissing() ??
  (hasRoute ? undefined : "the API has no POST /api/analyze yet");
// deno-lint-ignore no-console
if (missing) console.log(`web console analyzer test skipped: ${missing}`);

Deno.test({
  name: "web console: the analyzer explains each byte of a pasted frame",
  ignore: missing !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using c = await startConsole();
    const page = await c.page();
    await page.goto(`${c.url}/#/tools`);
    // SND_NKE to primary address 1: start, C, A, checksum, stop.
    await page.getByLabel("Telegram (hex, wired frame or wireless telegram)")
      .fill("10 40 01 41 16");
    await page.getByRole("button", { name: "Analyze" }).click();
    const table = page.locator("table.analysis");
    await table.waitFor();
    const text = await table.innerText();
    assert.match(text, /short frame/);
    assert.match(text, /primary address 1/);
    assert.ok((await table.locator("tbody tr").count()) >= 4);
    assert.deepEqual(c.errors, []);
  },
});
