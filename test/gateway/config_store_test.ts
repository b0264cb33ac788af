import assert from "node:assert/strict";
import { ConfigError, MbusError } from "../../src/util/mod.ts";
import {
  ConfigStore,
  GatewayHost,
  History,
  loadConfig,
  MAX_CONFIG_BYTES,
  parseConfig,
} from "../../src/gateway/mod.ts";
import { FakeSource } from "./_fake_source.ts";

const INITIAL = {
  gateways: [{
    name: "heat",
    host: "127.0.0.1",
    description: "generation 0",
    addresses: [{ name: "1" }],
  }],
};

function setPolling(raw: Record<string, unknown>, polling: unknown): void {
  const g = (raw.gateways as Record<string, unknown>[])[0];
  if (g) g.polling = polling;
}

async function tempConfig(): Promise<{ dir: string; path: string }> {
  const dir = await Deno.makeTempDir({ prefix: "mbusgw-config-" });
  const path = `${dir}/mbusgw.json`;
  await Deno.writeTextFile(path, JSON.stringify(INITIAL));
  return { dir, path };
}

Deno.test("ConfigStore.update() validates, writes atomically and keeps the file on error", async () => {
  const { dir, path } = await tempConfig();
  try {
    await Deno.chmod(path, 0o640);
    const store = await ConfigStore.open(path);
    const next = await store.update((raw) => {
      setPolling(raw, 5000);
    });
    assert.equal(next.gateways[0]?.polling, 5000);
    assert.equal((await loadConfig(path)).gateways[0]?.polling, 5000);
    await assert.rejects(
      store.update((raw) => {
        setPolling(raw, "nonsense");
      }),
      (e: unknown) =>
        e instanceof ConfigError && e.path === "gateways[0].polling",
    );
    assert.equal((await loadConfig(path)).gateways[0]?.polling, 5000);
    assert.equal(store.current.gateways[0]?.polling, 5000);
    // The file holds meter keys: a rewrite leaves it readable by its owner only.
    assert.equal(((await Deno.stat(path)).mode ?? 0) & 0o777, 0o600);
    const leftovers = (await Array.fromAsync(Deno.readDir(dir))).map((e) =>
      e.name
    );
    assert.deepEqual(leftovers, ["mbusgw.json"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig() names a missing file and bad JSON", async () => {
  await assert.rejects(
    loadConfig("/nonexistent/mbusgw.json"),
    (e: unknown) =>
      e instanceof ConfigError && e.message.includes("no such file"),
  );
  const { dir, path } = await tempConfig();
  try {
    await Deno.writeTextFile(path, "{ nope");
    await assert.rejects(
      loadConfig(path),
      (e: unknown) =>
        e instanceof ConfigError && e.message.includes("Cannot parse"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("a child killed during repeated config writes leaves a valid old or new file", async () => {
  const writer = new URL("./_config_writer.ts", import.meta.url).pathname;
  for (const killAfter of [1, 3, 8, 20, 45]) {
    const { dir, path } = await tempConfig();
    try {
      const child = new Deno.Command(Deno.execPath(), {
        args: ["run", "--allow-read", "--allow-write", writer, path],
        stdout: "piped",
        stderr: "null",
      }).spawn();
      let last = 0;
      const reader = child.stdout.pipeThrough(new TextDecoderStream())
        .getReader();
      let buffered = "";
      while (last < killAfter) {
        const { value, done } = await reader.read();
        if (done) break;
        buffered += value;
        const lines = buffered.split("\n");
        buffered = lines.pop() ?? "";
        for (const l of lines) if (l !== "") last = Number(l);
      }
      child.kill("SIGKILL");
      await reader.cancel();
      await child.status;
      const text = await Deno.readTextFile(path);
      const config = parseConfig(JSON.parse(text));
      // Opening the store again removes what the killed write left behind.
      await ConfigStore.open(path);
      const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) =>
        e.name
      );
      assert.deepEqual(names, ["mbusgw.json"]);
      const gen = Number(
        /^generation (\d+)/.exec(config.gateways[0]?.description ?? "")?.[1],
      );
      assert.ok(
        gen >= last && gen <= last + 1,
        `generation ${gen} after ${last} writes`,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  }
});

Deno.test("GatewayHost.updateConfig() writes through the store and redacts keys", async () => {
  const { dir, path } = await tempConfig();
  try {
    const store = await ConfigStore.open(path);
    const host = await GatewayHost.create(store.current, {
      store,
      history: new History(),
      openSource: (_g, clock) => new FakeSource(clock),
    });
    try {
      const next = await host.updateConfig((raw) => {
        setPolling(raw, "0 * * * *");
      });
      assert.equal(next.gateways[0]?.polling, "0 * * * *");
      assert.equal((await loadConfig(path)).gateways[0]?.polling, "0 * * * *");
      await assert.rejects(
        host.updateConfig((raw) => {
          setPolling(raw, -5);
        }),
        ConfigError,
      );
    } finally {
      await host.stop();
      host.history.close();
    }
    const bare = await GatewayHost.create(parseConfig(INITIAL), {
      history: new History(),
      openSource: (_g, clock) => new FakeSource(clock),
    });
    await assert.rejects(
      bare.updateConfig(() => {}),
      (e: unknown) => e instanceof MbusError && e.code === "UNSUPPORTED",
    );
    await bare.stop();
    bare.history.close();
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ConfigStore.open() removes temporary files of interrupted writes of its file only, and writes 0600", async () => {
  const { dir, path } = await tempConfig();
  try {
    const secret = JSON.stringify({ key: "00112233445566778899AABBCCDDEEFF" });
    const stale = [
      "mbusgw.json.tmp-99999999-0a1b2c3d",
      "mbusgw.json.tmp-1-ffffffff",
    ];
    const kept = [
      "mbusgw.json.tmp-notes",
      "other.json.tmp-1-0a1b2c3d",
      "mbusgw.json.bak",
      `mbusgw.json.tmp-${Deno.pid}-0a1b2c3d`,
    ];
    for (const n of [...stale, ...kept]) {
      await Deno.writeTextFile(`${dir}/${n}`, secret);
    }
    await Deno.chmod(path, 0o644);
    const store = await ConfigStore.open(path);
    const names = (await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name)
      .sort();
    assert.deepEqual(names, ["mbusgw.json", ...kept].sort());
    await store.update((raw) => {
      setPolling(raw, 2000);
    });
    assert.equal(((await Deno.stat(path)).mode ?? 0) & 0o777, 0o600);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("loadConfig() refuses a file larger than the limit with a one-line error", async () => {
  const { dir, path } = await tempConfig();
  try {
    using f = await Deno.open(path, { write: true });
    await f.truncate(MAX_CONFIG_BYTES + 1);
    await assert.rejects(
      loadConfig(path),
      (e: unknown) =>
        e instanceof ConfigError &&
        e.message.includes(String(MAX_CONFIG_BYTES)) &&
        !e.message.includes("\n"),
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
