// deno-lint-ignore-file no-console
/**
 * Simulator speed: how fast the virtual bus answers, so that tests and scan benchmarks on it
 * stay cheap. Prints one line per figure (wall-clock time on this machine).
 *
 * Run alone: `deno run -A scripts/bench_sim.ts`.
 *
 * @module
 */
import {
  bytesNeeded,
  C_REQ_UD2,
  C_SND_NKE,
  encodeFrame,
  shortFrame,
  withFcb,
} from "../src/link/mod.ts";
import { TcpTransport, type Transport } from "../src/transport/mod.ts";
import { VirtualClock } from "../src/util/mod.ts";
import {
  createSimulation,
  mergeAnswers,
  startTcpEndpoint,
} from "../sim/mod.ts";

async function readAnswer(
  port: Transport,
  read: (p: Promise<Uint8Array>) => Promise<Uint8Array>,
): Promise<number> {
  let got = new Uint8Array(0);
  while (got.length === 0 || bytesNeeded(got) > 0) {
    const chunk = await read(port.read(300, 500));
    if (chunk.length === 0) break;
    const next = new Uint8Array(got.length + chunk.length);
    next.set(got);
    next.set(chunk, got.length);
    got = next;
  }
  return got.length;
}

async function telegramsPerSecond(
  port: Transport,
  read: (p: Promise<Uint8Array>) => Promise<Uint8Array>,
  rounds: number,
): Promise<{ perSecond: number; bytes: number }> {
  let bytes = 0;
  const t0 = performance.now();
  for (let i = 0; i < rounds; i++) {
    await port.write(
      encodeFrame(shortFrame(withFcb(C_REQ_UD2, i % 2 === 0), 10)),
    );
    bytes += await readAnswer(port, read);
  }
  return { perSecond: rounds / ((performance.now() - t0) / 1000), bytes };
}

/** Runs the simulator benchmarks and prints one line per figure. */
export async function benchSim(): Promise<void> {
  {
    const clock = new VirtualClock();
    const bus = createSimulation("demo");
    await using port = bus.connect({ clock });
    const r = await telegramsPerSecond(port, (p) => clock.drive(p), 300);
    const s = bus.stats();
    console.log(
      `sim: in-process paced on VirtualClock: ${
        r.perSecond.toFixed(0)
      } RSP_UD/s wall ` +
        `(${(s.busTimeMs / 1000).toFixed(1)} s of bus time for 300 telegrams)`,
    );
  }
  {
    const clock = new VirtualClock();
    await using port = createSimulation("demo").connect({
      clock,
      latencyMs: 16,
    });
    const r = await telegramsPerSecond(port, (p) => clock.drive(p), 300);
    console.log(
      `sim: in-process paced on VirtualClock, 16 ms latency timer: ${
        r.perSecond.toFixed(0)
      } RSP_UD/s wall`,
    );
  }
  {
    const bus = createSimulation("demo");
    await using port = bus.connect({ paced: false });
    const r = await telegramsPerSecond(port, (p) => p, 3000);
    console.log(
      `sim: in-process fast mode: ${r.perSecond.toFixed(0)} RSP_UD/s`,
    );
  }
  {
    const bus = createSimulation("demo");
    await using tcp = startTcpEndpoint(bus, { port: 0 });
    await using port = await TcpTransport.open(tcp.host, tcp.port);
    await port.write(encodeFrame(shortFrame(C_SND_NKE, 10)));
    await readAnswer(port, (p) => p);
    const r = await telegramsPerSecond(port, (p) => p, 200);
    console.log(
      `sim: TCP endpoint fast mode: ${r.perSecond.toFixed(0)} RSP_UD/s`,
    );
  }
  {
    const a = new Uint8Array(261).fill(0x5a);
    const b = new Uint8Array(261).fill(0xa5);
    const rounds = 2000;
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) {
      mergeAnswers(
        [{ startMs: 0, bytes: a }, { startMs: 1.3, bytes: b }],
        2400,
      );
    }
    const us = (performance.now() - t0) * 1000 / rounds;
    console.log(
      `sim: wired-AND merge of two 261-byte answers: ${us.toFixed(1)} µs`,
    );
  }
  {
    const t0 = performance.now();
    const bus = createSimulation("large_500");
    console.log(
      `sim: build scenario large_500 (${bus.slaves.length} meters): ${
        (performance.now() - t0).toFixed(0)
      } ms`,
    );
  }
}

if (import.meta.main) await benchSim();
