import assert from "node:assert/strict";
import { RealClock, VirtualClock } from "../../src/util/mod.ts";
import type { LinkState, LinkStatus } from "../../src/transport/mod.ts";
import {
  LINK_LOG_REPEAT_MS,
  linkLogger,
} from "../../src/gateway/source/link_log.ts";
import {
  GatewayHost,
  History,
  openSource,
  parseConfig,
} from "../../src/gateway/mod.ts";
import { createSimulation } from "../../sim/mod.ts";
import { startTcpEndpoint } from "../../sim/endpoints/tcp.ts";
import { freePort, until } from "../_helpers/net.ts";

// README (Reliability): a converter that is down leaves its instance offline with one log
// line. A TCP converter reconnects inside its transport, so the line must come from the
// link's state, not only from a failed open; and one line when it is back, none per retry.
Deno.test("a TCP converter down at start-up logs one offline line naming it, then one when it is back", async () => {
  const clock = new RealClock();
  const port = freePort();
  const lines: string[] = [];
  const history = new History();
  const host = await GatewayHost.create(
    parseConfig({
      gateways: [{
        name: "boiler",
        type: "tcp",
        host: "127.0.0.1",
        port,
        polling: 200,
        idleTimeout: 0,
        requestTimeout: 300,
        addresses: [{ name: "1" }],
      }],
    }),
    { clock, history, openSource, log: (l) => lines.push(l) },
  );
  let sim: ReturnType<typeof startTcpEndpoint> | undefined;
  try {
    host.start();
    const g = host.get("boiler");
    assert.ok(g);
    await until(() => (g.link?.attempts ?? 0) >= 3, "three attempts");
    assert.equal(lines.length, 1, lines.join("\n"));
    assert.match(
      lines[0] ?? "",
      new RegExp(
        `^instance "boiler" \\(tcp 127\\.0\\.0\\.1:${port}\\): offline: .*connection refused; next attempt in \\d+ ms`,
      ),
    );
    sim = startTcpEndpoint(createSimulation("demo"), { port, clock });
    await until(() => g.link?.state === "online", "back online", 250);
    await until(() => lines.length >= 2, "second line");
    assert.match(lines[1] ?? "", /^instance "boiler" .*: online again$/);
    assert.equal(lines.length, 2);
  } finally {
    await host.stop();
    history.close();
    await sim?.close();
  }
});

Deno.test("linkLogger: a flapping link repeats the same reason at most once a minute, then counts what it left out", async () => {
  const clock = new VirtualClock();
  const lines: string[] = [];
  const log = linkLogger("bus", (l) => lines.push(l), clock);
  const status = (state: LinkState, reason: string | null): LinkStatus => ({
    state,
    reason,
    nextAttemptAt: clock.now() + 250,
    since: clock.now(),
    connects: 0,
    disconnects: 0,
    attempts: 0,
    offlineMs: 0,
  });
  const flap = async (reason: string) => {
    log(status("offline", reason));
    log(status("offline", reason)); // a retry: no line
    await clock.advance(300);
    log(status("online", null));
    await clock.advance(700);
  };
  await flap("closed by peer");
  assert.deepEqual(lines, [
    "bus: offline: closed by peer; next attempt in 250 ms, then every second or less",
    "bus: online again",
  ]);
  for (let i = 0; i < 10; i++) await flap("closed by peer");
  assert.equal(lines.length, 2, "ten flaps within the minute: quiet");
  await flap("connection refused"); // another reason is news
  assert.equal(lines.length, 4);
  assert.match(
    lines[2] ?? "",
    /offline: connection refused; .*\(10 more not logged\)$/,
  );
  await clock.advance(LINK_LOG_REPEAT_MS);
  await flap("connection refused");
  assert.equal(lines.length, 6);
  assert.doesNotMatch(lines[4] ?? "", /more not logged/);
});
