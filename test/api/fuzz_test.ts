import assert from "node:assert/strict";
import { createApp } from "../../src/api/mod.ts";
import { MbusError, VirtualClock } from "../../src/util/mod.ts";
import { FakeBackend } from "./_fake_backend.ts";
import { seededRandom as random } from "../_helpers/random.ts";

const WORDS = [
  "heat",
  "water",
  "nope",
  "1",
  "0",
  "250",
  "251",
  "-1",
  "99",
  "busy",
  "%mbus:1/0/value",
  "%mbus:heat/1",
  "%mbus7:1",
  "%",
  "%%",
  "%zz",
  "..",
  "../..",
  "é",
  "😀",
  "\u0000",
  "a".repeat(600),
  "12345678",
  "FFFFFFFFFFFFFFFF",
  "null",
  "true",
  "[]",
  "{}",
  " ",
];
const VALUES: unknown[] = [
  0,
  1,
  5,
  99,
  250,
  251,
  -1,
  1.5,
  1e309,
  "1",
  "x",
  "",
  null,
  true,
  false,
  [],
  {},
  [1],
  { a: 1 },
  "primary",
  "secondary",
  "wireless",
  9600,
  300,
  "FFFFFFFFFFFFFFFF",
];
const FIELDS = [
  "address",
  "newAddress",
  "baudRate",
  "confirm",
  "kind",
  "from",
  "to",
  "mask",
  "durationMs",
  "key",
];
const ALLOWED = new Set([
  200,
  202,
  400,
  401,
  404,
  409,
  413,
  415,
  422,
  503,
  504,
]);

function pick<T>(rnd: () => number, a: readonly T[]): T {
  return a[Math.floor(rnd() * a.length)] as T;
}

function query(rnd: () => number): string {
  if (rnd() >= 0.3) return "";
  const key = pick(rnd, [
    "address",
    "q",
    "from",
    "to",
    "limit",
    "instance",
    "types",
  ]);
  return `?${key}=${encodeURIComponent(pick(rnd, WORDS))}`;
}

function randomBody(rnd: () => number): string {
  const r = rnd();
  if (r < 0.1) return "";
  if (r < 0.2) {
    return pick(rnd, ["{", "nul", "[1,2", '{"a":}', "\u0000", "{}}"]);
  }
  if (r < 0.3) return JSON.stringify(pick(rnd, VALUES));
  const o: Record<string, unknown> = {};
  const n = Math.floor(rnd() * 5);
  for (let i = 0; i < n; i++) o[pick(rnd, FIELDS)] = pick(rnd, VALUES);
  return JSON.stringify(o);
}

/**
 * Drives a request on the virtual clock; a route that waits for real I/O (the serial-port
 * listing reads /sys and /dev) gets up to 5 s of real time instead, so a true hang still fails.
 */
async function answer(
  clock: VirtualClock,
  pending: Promise<Response>,
): Promise<Response> {
  try {
    return await clock.drive(pending);
  } catch (e) {
    if (!(e instanceof MbusError && e.code === "DEADLOCK")) throw e;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(e), 5000);
    });
    try {
      return await Promise.race([pending, late]);
    } finally {
      clearTimeout(timer);
    }
  }
}

Deno.test("every route answers random input with a typed error or success, never a 5xx crash", async () => {
  const clock = new VirtualClock();
  const backend = new FakeBackend(clock);
  const failures: string[] = [];
  const app = createApp(backend, {
    clock,
    onInternalError: (e, request) => failures.push(`${request}: ${String(e)}`),
  });
  const routes = app.routes.filter((r) =>
    r.method !== "ALL" && r.path !== "/events"
  );
  const rnd = random(20261124);
  for (let i = 0; i < 1500; i++) {
    const route = pick(rnd, routes);
    const path = route.path.replace(/:([a-z]+)/g, (_, param: string) => {
      // Mostly real instance names and job ids, so the handlers behind them run too.
      if (param === "name" && rnd() < 0.8) return pick(rnd, ["heat", "water"]);
      if (param === "id" && rnd() < 0.6) return pick(rnd, ["1", "2", "3"]);
      return encodeURIComponent(pick(rnd, WORDS));
    }) + query(rnd);
    const method = rnd() < 0.9
      ? route.method
      : pick(rnd, ["GET", "POST", "DELETE", "PUT", "PATCH"]);
    const init: RequestInit = { method };
    if (method !== "GET" && method !== "HEAD") {
      init.body = randomBody(rnd);
      // Mostly JSON-typed, so the handlers run; the rest must get 415.
      if (rnd() < 0.9) init.headers = { "Content-Type": "application/json" };
    }
    const res = await answer(clock, Promise.resolve(app.request(path, init)));
    const label = `${method} ${path} ${String(init.body ?? "").slice(0, 80)}`;
    assert.ok(ALLOWED.has(res.status), `${label} → ${res.status}`);
    if (res.status >= 400) {
      const body = await res.json();
      assert.equal(typeof body.error?.code, "string", label);
      assert.equal(typeof body.error?.message, "string", label);
    } else {
      await res.body?.cancel();
    }
  }
  await clock.runUntilIdle();
  assert.deepEqual(failures, []);
});
