/**
 * The web console in a real Chromium against a real gateway on simulated buses: loading,
 * live values, the history chart, a scan with progress and cancel, adding a found meter,
 * set-primary behind its confirmation, settings validation, and the phone width.
 */
import assert from "node:assert/strict";
import type { Page } from "playwright-core";
import { browserMissing, type PageDocument, startConsole } from "./_console.ts";

// In-page callbacks (page.evaluate, waitForFunction) run in Chromium, where these exist.
declare const document: PageDocument;
declare const innerWidth: number;

const missing = browserMissing();
// deno-lint-ignore no-console
if (missing) console.log(`web console browser tests skipped: ${missing}`);

const opts = {
  ignore: missing !== undefined,
  sanitizeOps: false,
  sanitizeResources: false,
};

async function config(
  path: string,
): Promise<
  {
    gateways: {
      name: string;
      addresses: { name: string; maxFrames?: number }[];
    }[];
  }
> {
  return JSON.parse(await Deno.readTextFile(path));
}

async function noHorizontalOverflow(page: Page): Promise<number> {
  return await page.evaluate(() => document.documentElement.scrollWidth);
}

Deno.test({
  name:
    "web console: pages load without console errors, show identity and typeset units; a value updates live; the history chart has data",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const page = await c.page();
    await page.goto(`${c.url}/`);
    await page.getByRole("heading", { name: "bus" }).waitFor();
    await page.getByRole("heading", { name: "radio" }).waitFor();
    assert.match(await page.locator("article").first().innerText(), /Requests/);
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="link"]')?.textContent?.includes(
        "online",
      ) ?? false
    );

    await page.getByRole("link", { name: "bus", exact: true }).click();
    const row = page.locator('tr[data-meter="1"]');
    await row.waitFor();
    await page.waitForFunction(() =>
      document.querySelector('tr[data-meter="1"]')?.textContent?.includes("KAM")
    );
    const text = await row.innerText();
    assert.match(text, /KAM/, "manufacturer");
    assert.match(text, /Heat/, "medium");
    assert.match(
      text,
      /[0-9A-F]{8} [0-9A-F]{4} [0-9A-F]{2} 04/,
      "secondary address",
    );

    await page.goto(`${c.url}/#/i/bus/m/1`);
    const volume = page.locator("table.records tr", { hasText: "Volume" })
      .first();
    await volume.waitFor();
    assert.match(await volume.innerText(), /m³/);
    assert.match(await page.locator("table.records").innerText(), /MWh|kWh/);
    assert.match(await page.locator("table.records").innerText(), /°C/);
    const energy = page.locator("table.records tbody tr").first().locator(
      "td.value",
    );
    const before = await energy.innerText();
    await page.waitForFunction(
      (b) =>
        document.querySelector("table.records tbody tr td.value")
          ?.textContent !== b,
      before,
      { timeout: 15_000 },
    );
    assert.notEqual(
      await energy.innerText(),
      before,
      "the value changed without a reload",
    );

    // The chart of the first record: uPlot draws a canvas from the history rows.
    await page.locator(".plot canvas").first().waitFor({ timeout: 10_000 });
    await page.waitForFunction(() =>
      Number(
        document.querySelector(".plot")?.getAttribute("data-points") || 0,
      ) > 0
    );
    const points = Number(
      await page.locator(".plot").getAttribute("data-points"),
    );
    assert.ok(points > 0, `history points ${points}`);
    await page.getByRole("button", { name: "24 h" }).click();
    await page.locator(".plot canvas").first().waitFor();

    for (
      const hash of [
        "#/i/bus/commission",
        "#/i/radio",
        "#/i/radio/m/31000001",
        "#/ports",
        "#/tools",
        "#/i/bus/settings",
      ]
    ) {
      await page.goto(`${c.url}/${hash}`);
      await page.locator("main h1").waitFor();
      await page.waitForTimeout(300);
    }
    assert.deepEqual(c.errors, []);
  },
});

Deno.test({
  name:
    "web console: a primary scan shows progress and is cancelled; a found meter is added to the config",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const page = await c.page();
    await page.goto(`${c.url}/#/i/bus/commission`);
    await page.getByLabel("From").fill("0");
    await page.getByLabel("To").fill("250");
    await page.getByRole("button", { name: "Scan primary" }).click();
    const bar = page.getByRole("progressbar");
    await bar.waitFor();
    await page.waitForFunction(() =>
      Number(
        document.querySelector('[role="progressbar"]')?.getAttribute(
          "aria-valuenow",
        ),
      ) > 2
    );
    assert.equal(await bar.getAttribute("aria-valuemax"), "251");
    assert.equal(await bar.getAttribute("aria-valuemin"), "0");
    assert.ok(await bar.getAttribute("aria-label"));
    await page.getByRole("button", { name: "Cancel scan" }).click();
    await page.waitForFunction(() =>
      document.querySelector('[data-testid="job-status"]')?.textContent ===
        "cancelled"
    );
    const stoppedAt = Number(await bar.getAttribute("aria-valuenow"));
    assert.ok(stoppedAt < 251, `cancelled before the end (at ${stoppedAt})`);

    // Meters 4, 5 and 6 of the demo bus are not configured: scan them and add 4.
    await page.getByLabel("From").fill("4");
    await page.getByLabel("To").fill("6");
    await page.getByRole("button", { name: "Scan primary" }).click();
    const add = page.getByRole("button", { name: "Add 4 to config" });
    await add.waitFor({ timeout: 20_000 });
    await page.waitForFunction(
      () =>
        document.querySelector('[data-testid="job-status"]')?.textContent ===
          "done",
      undefined,
      { timeout: 20_000 },
    );
    await add.click();
    await page.locator('li[data-found="4"] .ok').waitFor();
    assert.match(
      await page.locator('li[data-found="4"]').innerText(),
      /no restart needed/,
    );
    const file = await config(c.configPath);
    assert.ok(
      file.gateways[0]?.addresses.some((a) => a.name === "4"),
      "written to the file",
    );
    await page.goto(`${c.url}/#/i/bus`);
    await page.locator('tr[data-meter="4"]').waitFor();
    assert.deepEqual(c.errors, []);
  },
});

Deno.test({
  name:
    "web console: set primary asks for a confirmation naming the meter, then renames it in the config",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const page = await c.page();
    await page.goto(`${c.url}/#/i/bus/m/3`);
    await page.waitForFunction(() =>
      /ID \d{8}/.test(document.body.textContent ?? "") ||
      document.querySelector(".identity")
    );
    await page.locator(".identity dd.mono").first().waitFor();
    const id = (await page.locator(".identity dd.mono").first().innerText())
      .trim();
    await page.getByRole("button", { name: "Set primary address…" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.waitFor();
    const title = await dialog.locator("h2").innerText();
    assert.match(title, /meter 3/);
    assert.ok(title.includes(`ID ${id}`), `${title} names ID ${id}`);
    // Cancel first: nothing changes.
    await dialog.getByRole("button", { name: "Cancel" }).click();
    await dialog.waitFor({ state: "detached" });
    assert.ok(
      (await config(c.configPath)).gateways[0]?.addresses.some((a) =>
        a.name === "3"
      ),
    );

    await page.getByRole("button", { name: "Set primary address…" }).click();
    await page.getByLabel("New primary address (0–250)").fill("33");
    await page.getByRole("dialog").getByRole("button", { name: "Confirm" })
      .click();
    await page.waitForURL(/#\/i\/bus\/m\/33$/, { timeout: 20_000 });
    await page.getByRole("status").waitFor();
    assert.match(await page.getByRole("status").innerText(), /set to 33/);
    const names = (await config(c.configPath)).gateways[0]?.addresses.map((a) =>
      a.name
    );
    assert.ok(names?.includes("33") && !names.includes("3"), String(names));
    assert.deepEqual(c.errors, []);
  },
});

Deno.test({
  name:
    "web console: meter settings validate inline, save to the file and say whether a restart is needed",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const page = await c.page();
    await page.goto(`${c.url}/#/i/bus/m/2`);
    await page.getByText("Settings of meter 2").click();
    const field = page.getByLabel("maxFrames");
    await field.fill("abc");
    const err = page.locator("#f-maxFrames-err");
    assert.match(await err.innerText(), /number/);
    assert.equal(await field.getAttribute("aria-invalid"), "true");
    assert.equal(
      await page.getByRole("button", { name: "Save" }).isDisabled(),
      true,
    );
    await field.fill("4");
    assert.equal(await err.innerText(), "");
    await page.getByRole("button", { name: "Save" }).click();
    await page.locator("form.settings .ok").waitFor();
    assert.match(
      await page.locator("form.settings .ok").innerText(),
      /restart/i,
    );
    const entry = (await config(c.configPath)).gateways[0]?.addresses.find((
      a,
    ) => a.name === "2");
    assert.equal(entry?.maxFrames, 4);
    assert.deepEqual(c.errors, []);
  },
});

Deno.test({
  name:
    "web console: a wireless listen counts down and offers the meter heard but not configured",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const page = await c.page();
    await page.goto(`${c.url}/#/i/radio`);
    await page.getByRole("button", { name: "Add 31000004 to config" })
      .waitFor();
    await page.goto(`${c.url}/#/i/radio/commission`);
    await page.getByLabel("Seconds").fill("3");
    await page.getByRole("button", { name: "Listen" }).click();
    const bar = page.getByRole("progressbar");
    await bar.waitFor();
    c.transmit("31000004");
    await page.waitForFunction(() =>
      /\d+ s left/.test(
        document.querySelector('[role="progressbar"]')?.getAttribute(
          "aria-valuetext",
        ) ?? "",
      )
    );
    assert.equal(await bar.getAttribute("aria-valuemax"), "3000");
    await page.getByRole("button", { name: "Add 31000004 to config" }).click();
    await page.locator('li[data-found="31000004"] .ok').waitFor();
    const names = (await config(c.configPath)).gateways[1]?.addresses.map((
      a,
    ) => a.name);
    assert.ok(names?.includes("31000004"), String(names));
    assert.deepEqual(c.errors, []);
  },
});

Deno.test({
  name:
    "web console: keyboard only: skip link first, a dialog opens with focus in its field and Escape closes it",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const page = await c.page();
    await page.goto(`${c.url}/#/i/bus/m/1`);
    await page.locator(".identity").waitFor();
    await page.keyboard.press("Tab");
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      "Skip to content",
    );
    await page.keyboard.press("Tab");
    assert.equal(
      await page.evaluate(() => document.activeElement?.textContent),
      "mbusgw",
    );
    const open = page.getByRole("button", { name: "Set primary address…" });
    await open.focus();
    await page.keyboard.press("Enter");
    await page.getByRole("dialog").waitFor();
    assert.equal(
      await page.evaluate(() => document.activeElement?.id),
      "new-primary",
    );
    await page.keyboard.press("Escape");
    await page.getByRole("dialog").waitFor({ state: "detached" });
    // Every input of the settings form has a label.
    await page.getByText("Settings of meter 1").click();
    const unlabelled = await page.evaluate(() =>
      [...document.querySelectorAll("main input, main select, main textarea")]
        .filter((e) =>
          !document.querySelector(`label[for="${e.id}"]`) &&
          !e.getAttribute("aria-label")
        ).map((e) => e.id)
    );
    assert.deepEqual(unlabelled, []);
    assert.deepEqual(c.errors, []);
  },
});

Deno.test({
  name: "web console: every page fits a 390 px wide phone screen",
  ...opts,
  async fn() {
    await using c = await startConsole();
    const page = await c.page({ width: 390, height: 844 });
    for (
      const hash of [
        "",
        "#/i/bus",
        "#/i/bus/m/1",
        "#/i/bus/commission",
        "#/i/radio",
        "#/i/bus/settings",
        "#/ports",
        "#/tools",
      ]
    ) {
      await page.goto(`${c.url}/${hash}`);
      await page.locator("main h1").waitFor();
      await page.waitForTimeout(800);
      const width = await noHorizontalOverflow(page);
      assert.ok(width <= 390, `${hash || "/"} is ${width} px wide`);
      // Every control is reachable without scrolling sideways (none clipped in a table).
      const clipped = await page.evaluate(() =>
        [...document.querySelectorAll("main button, main input, main a")]
          .filter((e) => {
            const r = e.getBoundingClientRect();
            return r.width > 0 && r.right > innerWidth + 0.5;
          })
          .map((e) => e.textContent || e.id)
      );
      assert.deepEqual(clipped, [], `${hash || "/"}: controls past the edge`);
    }
  },
});
