/**
 * Shared setup of the browser tests: a simulated wired bus behind a real TCP endpoint, the
 * simulated wireless meters, a gateway started from a real config file (so "add to config"
 * and set-primary write it), its HTTP API on a free port, and Debian's Chromium driven by
 * playwright-core (launched on the first page). Tests skip with a printed reason where Chromium is absent.
 *
 * @module
 */
import { type Browser, chromium, type Page } from "playwright-core";
import { type ApiServer, serveApi } from "../../src/api/mod.ts";
import { ConfigStore, GatewayHost, openSource } from "../../src/gateway/mod.ts";
import { RealClock } from "../../src/util/mod.ts";
import {
  createSimulation,
  createWirelessSimulation,
  serveWirelessSimulation,
  startTcpEndpoint,
} from "../../sim/mod.ts";

/** An element as the tests' in-page callbacks use it. */
export interface PageElement {
  id: string;
  textContent: string | null;
  getAttribute(name: string): string | null;
  getBoundingClientRect(): { width: number; right: number };
}

/**
 * The page's `document` as the tests' in-page callbacks use it. The callbacks run in
 * Chromium; the test modules declare `document` with this type locally instead of loading
 * the DOM library, whose stream types clash with Deno's in one program.
 */
export interface PageDocument {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): Iterable<PageElement>;
  activeElement: PageElement | null;
  documentElement: { scrollWidth: number };
  body: { textContent: string | null };
}

/** Where Debian installs Chromium. */
export const CHROMIUM = "/usr/bin/chromium";

/**
 * Why the browser tests cannot run here, or undefined when they can.
 *
 * @returns The reason.
 */
export function browserMissing(): string | undefined {
  try {
    Deno.statSync(CHROMIUM);
    return undefined;
  } catch {
    return `${CHROMIUM} is absent (apt-get install chromium)`;
  }
}

/** What {@link startConsole} runs. */
export interface ConsoleSetup extends AsyncDisposable {
  /** Base URL of the API and page, e.g. `http://127.0.0.1:40123`. */
  url: string;
  /** The gateway host. */
  host: GatewayHost;
  /** The config file. */
  configPath: string;
  /** Opens a fresh page (collecting console errors into `errors`). */
  page(viewport?: { width: number; height: number }): Promise<Page>;
  /** Makes the simulated wireless meters (or one) transmit now. */
  transmit(id?: string): void;
  /** Console errors, page errors and failed requests seen so far. */
  errors: string[];
}

/** Options of {@link startConsole}. */
export interface ConsoleOptions {
  /** API token (mutations then need it). */
  token?: string;
  /** Configured primary addresses of the wired instance. @default [1, 2, 3] */
  primaries?: number[];
  /** Polling interval, ms. @default 1000 */
  pollingMs?: number;
}

/**
 * Starts the simulated buses, the gateway and its API, and Chromium.
 *
 * @param options Token, configured meters, polling.
 * @returns The setup; dispose it.
 */
export async function startConsole(
  options: ConsoleOptions = {},
): Promise<ConsoleSetup> {
  const clock = new RealClock();
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-web-test-" });
  const bus = createSimulation("demo", { liveValues: true });
  const tcp = startTcpEndpoint(bus, { host: "127.0.0.1", port: 0, clock });
  const air = createWirelessSimulation({ clock, liveValues: true });
  const radio = serveWirelessSimulation(air);
  air.start();
  const configPath = `${dir}/config.json`;
  const polling = options.pollingMs ?? 1000;
  await Deno.writeTextFile(
    configPath,
    JSON.stringify(
      {
        history: { path: `${dir}/history.db` },
        gateways: [
          {
            name: "bus",
            description: "Simulated demo bus",
            type: "tcp",
            host: tcp.host,
            port: tcp.port,
            polling,
            requestTimeout: 150,
            idleTimeout: 0,
            onlyValues: false,
            addresses: (options.primaries ?? [1, 2, 3]).map((a) => ({
              name: String(a),
              log: "update",
            })),
          },
          {
            name: "radio",
            cluster: 1,
            description: "Simulated wireless meters",
            type: "wireless",
            serialPort: radio.serialPort,
            polling,
            onlyValues: false,
            addresses: air.addressConfig({ log: "update" }).slice(0, 3),
          },
        ],
      },
      null,
      2,
    ),
  );
  const store = await ConfigStore.open(configPath);
  const host = await GatewayHost.create(store.current, {
    openSource,
    store,
    clock,
  });
  host.start();
  const server: ApiServer = serveApi(host, {
    hostname: "127.0.0.1",
    port: 0,
    ...(options.token ? { token: options.token } : {}),
  });
  let browser: Browser | undefined;
  const launch = () =>
    chromium.launch({
      executablePath: CHROMIUM,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        // playwright gives every launch a fresh temporary profile (--user-data-dir).
      ],
    });
  const errors: string[] = [];
  return {
    url: server.url,
    host,
    configPath,
    errors,
    transmit(id?: string) {
      air.transmit(id);
    },
    async page(viewport = { width: 1280, height: 900 }) {
      browser ??= await launch();
      const context = await browser.newContext({ viewport });
      const page = await context.newPage();
      page.on("console", (m) => {
        if (m.type() === "error") errors.push(m.text());
      });
      page.on("pageerror", (e) => errors.push(String(e)));
      page.on("response", (r) => {
        if (r.status() >= 400) errors.push(`${r.status()} ${r.url()}`);
      });
      return page;
    },
    async [Symbol.asyncDispose]() {
      await browser?.close().catch(() => {});
      await server.shutdown();
      await host.stop();
      await air.stop();
      await radio.close();
      await clock.sleep(100);
      await tcp.close().catch(() => {});
      await Deno.remove(dir, { recursive: true }).catch(() => {});
    },
  };
}
