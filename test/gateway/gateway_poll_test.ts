import assert from "node:assert/strict";
import { fakeHost, oneGateway, valueAt } from "./_helpers.ts";

Deno.test("Gateway polls by milliseconds and applies scale and offset", async () => {
  await using t = await fakeHost(
    oneGateway({ polling: 1000 }, [{ name: "1", scale: 2, offset: 0.5 }, {
      name: "2",
    }]),
    { values: { "1": [10, "text"], "2": [3] } },
  );
  t.host.start();
  await t.clock.advance(5_050);
  const src = t.sources.get("heat");
  assert.ok(src);
  // ticks at 0, 1000, ..., 5000: each cycle reads 1 and 2 (100 ms each)
  assert.deepEqual(
    src.log.map((l) => l.at - (src.log[0]?.at ?? 0)).slice(0, 6),
    [0, 100, 1000, 1100, 2000, 2100],
  );
  assert.equal(valueAt(t.host, "%mbus:1/0/value"), 20.5);
  assert.equal(valueAt(t.host, "%mbus:heat/1/1/value"), "text");
  assert.equal(valueAt(t.host, "%mbus:2/0/value"), 3);
  const g = t.host.get("heat");
  assert.ok(g);
  assert.equal(g.metrics().cycles, 6);
  assert.equal(g.metrics().missedTicks, 0);
  assert.equal(g.values().length, 3);
  assert.equal(g.values({ address: "001" }).length, 2);
});
