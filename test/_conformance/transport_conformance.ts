/**
 * One suite for every {@link Transport}: register it with a factory that opens a transport
 * and a peer on the other end of the same pipe.
 *
 * @module
 */
import assert from "node:assert/strict";
import type { Transport } from "../../src/transport/mod.ts";
import { TransportError } from "../../src/util/mod.ts";

/** The far end of a transport under test. */
export interface ConformancePeer {
  /** Sends bytes to the transport. */
  write(bytes: Uint8Array): Promise<void>;
  /** Waits up to `timeoutMs` for bytes the transport sent; empty on timeout. */
  read(maxBytes: number, timeoutMs: number): Promise<Uint8Array>;
  /** Closes the peer. */
  close(): Promise<void>;
}

/** What a conformance factory opens. */
export interface ConformancePair {
  /** The transport under test. */
  transport: Transport;
  /** The other end. */
  peer: ConformancePeer;
}

/** Options of {@link transportConformance}. */
export interface ConformanceOptions {
  /** Skips every case, with the reason printed by the test name. @default undefined */
  skip?: string;
  /** Real milliseconds to let bytes cross the pipe between polls. @default 5 */
  settleMs?: number;
}

const GENEROUS_MS = 2000;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function readExactly(
  read: (max: number, timeoutMs: number) => Promise<Uint8Array>,
  n: number,
): Promise<Uint8Array> {
  const out = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const chunk = await read(n - got, GENEROUS_MS);
    if (chunk.length === 0) {
      throw new Error(`read ${got} of ${n} bytes, then silence`);
    }
    assert.ok(chunk.length <= n - got, "read returned more than maxBytes");
    out.set(chunk, got);
    got += chunk.length;
  }
  return out;
}

function pattern(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed) & 0xff);
}

/**
 * Registers the transport conformance tests.
 *
 * @param name Label of the implementation, e.g. `SerialTransport over a pty`.
 * @param open Opens a fresh transport and its peer for each case.
 * @param options Skip reason and settle time.
 */
export function transportConformance(
  name: string,
  open: () => Promise<ConformancePair>,
  options: ConformanceOptions = {},
): void {
  const settle = options.settleMs ?? 5;
  const ignore = options.skip !== undefined;
  const label = (what: string) =>
    `${name}: ${what}${ignore ? ` (skipped: ${options.skip})` : ""}`;
  const withPair = async (fn: (p: ConformancePair) => Promise<void>) => {
    const pair = await open();
    try {
      await fn(pair);
    } finally {
      await pair.transport.close();
      await pair.peer.close();
    }
  };

  Deno.test({
    name: label("bytes cross both ways"),
    ignore,
    fn: () =>
      withPair(async ({ transport, peer }) => {
        const req = Uint8Array.of(0x10, 0x5b, 0x05, 0x60, 0x16);
        await transport.write(req);
        assert.deepEqual(await readExactly((m, t) => peer.read(m, t), 5), req);
        const ans = Uint8Array.of(0xe5, 0x00, 0xff, 0x68);
        await peer.write(ans);
        assert.deepEqual(
          await readExactly((m, t) => transport.read(m, t), 4),
          ans,
        );
        assert.equal(transport.stats.bytesOut, 5);
        assert.equal(transport.stats.bytesIn, 4);
      }),
  });

  Deno.test({
    name: label("read resolves empty on timeout and respects maxBytes"),
    ignore,
    fn: () =>
      withPair(async ({ transport, peer }) => {
        assert.equal((await transport.read(16, 30)).length, 0);
        await peer.write(pattern(10, 1));
        const first = await transport.read(3, GENEROUS_MS);
        assert.ok(first.length >= 1 && first.length <= 3);
        const rest = await readExactly(
          (m, t) => transport.read(m, t),
          10 - first.length,
        );
        assert.deepEqual(
          new Uint8Array([...first, ...rest]),
          pattern(10, 1),
        );
        assert.equal((await transport.read(16, 30)).length, 0);
      }),
  });

  Deno.test({
    name: label("an aborted read rejects with the signal's reason"),
    ignore,
    fn: () =>
      withPair(async ({ transport }) => {
        const ac = new AbortController();
        const reason = new Error("stop");
        const p = transport.read(1, 60_000, ac.signal);
        ac.abort(reason);
        await assert.rejects(p, (e) => e === reason);
        // The transport is still usable.
        assert.equal((await transport.read(1, 10)).length, 0);
      }),
  });

  Deno.test({
    name: label("a write with an aborted signal rejects and sends nothing"),
    ignore,
    fn: () =>
      withPair(async ({ transport, peer }) => {
        const ac = new AbortController();
        const reason = new Error("stop");
        ac.abort(reason);
        await assert.rejects(
          transport.write(Uint8Array.of(1, 2, 3), ac.signal),
          (e) => e === reason,
        );
        await transport.write(Uint8Array.of(0xe5));
        assert.deepEqual(await peer.read(8, GENEROUS_MS), Uint8Array.of(0xe5));
        assert.equal(transport.stats.bytesOut, 1);
      }),
  });

  Deno.test({
    name: label("purge drops pending bytes"),
    ignore,
    fn: () =>
      withPair(async ({ transport, peer }) => {
        await peer.write(pattern(7, 3));
        let dropped = 0;
        for (let i = 0; i < 400 && dropped < 7; i++) {
          dropped += await transport.purge();
          if (dropped < 7) await pause(settle);
        }
        assert.equal(dropped, 7);
        assert.equal(transport.stats.bytesPurged, 7);
        await peer.write(Uint8Array.of(0xe5));
        assert.deepEqual(
          await transport.read(8, GENEROUS_MS),
          Uint8Array.of(0xe5),
        );
      }),
  });

  Deno.test({
    name: label("close is idempotent and later use throws CLOSED"),
    ignore,
    fn: () =>
      withPair(async ({ transport }) => {
        await transport.close();
        await transport.close();
        await transport[Symbol.asyncDispose]();
        const closed = (e: unknown) =>
          e instanceof TransportError && e.code === "CLOSED";
        await assert.rejects(transport.read(1, 10), closed);
        await assert.rejects(transport.write(Uint8Array.of(1)), closed);
        await assert.rejects(transport.purge(), closed);
      }),
  });

  Deno.test({
    name: label("a read waiting during close rejects with CLOSED"),
    ignore,
    fn: () =>
      withPair(async ({ transport }) => {
        const outcome = assert.rejects(
          transport.read(1, 60_000),
          (e) => e instanceof TransportError && e.code === "CLOSED",
        );
        await pause(settle);
        await transport.close();
        await outcome;
      }),
  });

  Deno.test({
    name: label("large transfers arrive whole, in chunks, both ways"),
    ignore,
    fn: () =>
      withPair(async ({ transport, peer }) => {
        const n = 20_000;
        const out = pattern(n, 7);
        const [, got] = await Promise.all([
          transport.write(out),
          readExactly((m, t) => peer.read(Math.min(m, 300), t), n),
        ]);
        assert.deepEqual(got, out);
        const back = pattern(n, 11);
        const [, got2] = await Promise.all([
          peer.write(back),
          readExactly((m, t) => transport.read(Math.min(m, 261), t), n),
        ]);
        assert.deepEqual(got2, back);
      }),
  });
}
