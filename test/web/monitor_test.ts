/**
 * The bus monitor page in a real Chromium against a real gateway on the simulated buses:
 * a read shows its tx and rx frames; pause holds the list and counts what arrives, resume
 * shows it; the address filter hides other meters; a wireless telegram shows its link
 * header; a frame opens in the analyzer; the phone width fits; no console errors.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserMissing, type PageDocument, startConsole } from "./_console.ts";

// In-page callbacks (page.evaluate, waitForFunction) run in Chromium, where these exist.
declare const document: PageDocument;

const missing = browserMissing();
// deno-lint-ignore no-console
if (missing) console.log(`web console monitor test skipped: ${missing}`);

async function read(url: string, address: string): Promise<void> {
  const res = await fetch(`${url}/api/instances/bus/read`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ address }),
  });
  assert.equal(res.status, 200, await res.text());
}

/** The frame rows shown: sequence, instance, address and text. */
function rows(
  page: Page,
): Promise<{ seq: string; inst: string; addr: string; text: string }[]> {
  return page.evaluate(() =>
    [...document.querySelectorAll("li.frame")].map((li) => ({
      seq: li.getAttribute("data-seq") ?? "",
      inst: li.getAttribute("data-instance") ?? "",
      addr: li.getAttribute("data-address") ?? "",
      text: li.textContent ?? "",
    }))
  );
}

Deno.test({
  name:
    "web console: the bus monitor shows a read's tx and rx frames, pauses and resumes, filters by address, opens a frame in the analyzer",
  ignore: missing !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
  async fn() {
    await using c = await startConsole({ pollingMs: 3_600_000 });
    const page = await c.page();
    await page.goto(`${c.url}/`);
    await page.getByRole("navigation", { name: "Main" }).getByRole("link", {
      name: "Monitor",
    }).click();
    await page.getByRole("heading", { name: "Bus monitor" }).waitFor();
    await page.waitForFunction(() =>
      !(document.querySelector(".monitor-count")?.textContent ?? "connecting")
        .includes("connecting")
    );

    // A read: the master's REQ_UD2 to 2 (tx) and the meter's RSP_UD (rx).
    await read(c.url, "2");
    const tx = page.locator("li.frame.tx", { hasText: "REQ_UD2 to 2" }).first();
    const rx = page.locator("li.frame.rx", { hasText: "RSP_UD from 2" })
      .first();
    await tx.waitFor();
    await rx.waitFor();
    assert.match(await tx.innerText(), /\d\d:\d\d:\d\d\.\d{3}/);
    assert.match(await tx.innerText(), /tx →/);
    assert.match(await tx.innerText(), /\bbus\b/);
    assert.match(await rx.innerText(), /rx ←/);
    assert.match(
      await rx.innerText(),
      /ID \w{8} [A-Z]{3} v[0-9A-F]{2} .*records/,
    );
    assert.match(await rx.locator(".hex").innerText(), /^68 /);
    // Newest first: the answer is above its request.
    const order = await rows(page);
    const iRx = order.findIndex((r) => r.text.includes("RSP_UD from 2"));
    const iTx = order.findIndex((r) => r.text.includes("REQ_UD2 to 2"));
    assert.ok(iRx >= 0 && iTx > iRx, JSON.stringify(order.slice(0, 6)));

    // Pause: another read leaves the list alone and is counted; resume shows it.
    const pause = page.getByRole("button", { name: "Pause" });
    await pause.click();
    const resume = page.getByRole("button", { name: "Resume" });
    assert.equal(await resume.getAttribute("aria-pressed"), "true");
    const before = await rows(page);
    await read(c.url, "3");
    await page.waitForFunction(() =>
      Number(
        /(\d+) arrived/.exec(
          document.querySelector(".paused-count")?.textContent ?? "",
        )?.[1] ?? 0,
      ) >= 2
    );
    const during = await rows(page);
    assert.deepEqual(during.map((r) => r.seq), before.map((r) => r.seq));
    assert.ok(!during.some((r) => r.text.includes("REQ_UD2 to 3")));
    await resume.click();
    assert.equal(await pause.getAttribute("aria-pressed"), "false");
    await page.locator("li.frame.tx", { hasText: "REQ_UD2 to 3" }).first()
      .waitFor();
    await page.locator("li.frame.rx", { hasText: "RSP_UD from 3" }).first()
      .waitFor();
    assert.equal(await page.locator(".paused-count").count(), 0);

    // A wireless telegram: its link header and RSSI.
    c.transmit();
    const radio = page.locator('li.frame[data-instance="radio"]').first();
    await radio.waitFor();
    assert.match(await radio.innerText(), /M=[A-Z]{3} ID=[0-9A-F]{8} .*CI=/);

    // The address filter: only meter 2's frames stay.
    await page.getByLabel("Address or meter ID").fill("2");
    await page.waitForFunction(() =>
      [...document.querySelectorAll("li.frame")].every((li) =>
        li.getAttribute("data-address") === "2"
      )
    );
    const two = await rows(page);
    assert.ok(two.length >= 2, JSON.stringify(two));
    assert.ok(two.every((r) => r.addr === "2" && r.inst === "bus"));
    assert.ok(!two.some((r) => /to 3|from 3/.test(r.text)));
    await page.getByLabel("Address or meter ID").fill("");
    await page.getByLabel("Instance").selectOption("radio");
    await page.waitForFunction(() =>
      [...document.querySelectorAll("li.frame")].every((li) =>
        li.getAttribute("data-instance") === "radio"
      )
    );
    await page.getByLabel("Instance").selectOption("");

    // Phone width: nothing sticks out sideways, long hex included.
    await page.setViewportSize({ width: 390, height: 844 });
    const width = await page.evaluate(() =>
      document.documentElement.scrollWidth
    );
    assert.ok(width <= 390, `page is ${width} px wide at 390`);

    // A frame's bytes open in the analyzer, analyzed at once.
    await page.locator("li.frame.rx", { hasText: "RSP_UD from 2" }).first()
      .locator(".hex").click();
    await page.getByRole("heading", { name: "Telegram analyzer" }).waitFor();
    const table = page.locator("table.analysis");
    await table.waitFor();
    assert.match(await table.innerText(), /long frame/i);
    assert.match(
      await page.getByLabel(
        "Telegram (hex, wired frame or wireless telegram)",
      ).inputValue(),
      /^68/i,
    );
    assert.deepEqual(c.errors, []);
  },
});
