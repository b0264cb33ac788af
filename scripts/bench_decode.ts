// deno-lint-ignore-file no-console
/**
 * Decode throughput: link frame decode + application layer decode (every record
 * normalised) over the libmbus corpus test frames (read in place from ../shared), or over
 * our own generated frames when the corpus is absent. Prints frames/s and µs/frame.
 *
 * Run alone: `deno run -A scripts/bench_decode.ts`.
 *
 * @module
 */
import { decodeFrame, encodeFrame, longFrame } from "../src/link/mod.ts";
import {
  decodeUserData,
  encodeUserData,
  type RecordInput,
} from "../src/app/mod.ts";
import { parseHex } from "../src/util/mod.ts";
import process from "node:process";

const CORPUS = new URL(
  "../../shared/corpus/libmbus/test-frames/",
  import.meta.url,
);

function corpusFrames(): { frames: Uint8Array[]; source: string } {
  const frames: Uint8Array[] = [];
  try {
    for (const e of Deno.readDirSync(CORPUS)) {
      if (!e.isFile || !e.name.endsWith(".hex")) continue;
      const r = parseHex(Deno.readTextFileSync(new URL(e.name, CORPUS)));
      if (r.ok) frames.push(r.value);
    }
  } catch {
    // absent: fall back to our own frames
  }
  if (frames.length > 0) {
    return { frames, source: "libmbus corpus test-frames" };
  }
  return { frames: ownFrames(), source: "own generated frames" };
}

function ownFrames(): Uint8Array[] {
  const records: RecordInput[] = [
    { dataType: "bcd8", vif: "78", raw: 12345678 },
    { dataType: "int32", vif: "06", raw: 37351 },
    { dataType: "int32", vif: "13", raw: 332 },
    { dataType: "int32", storage: 1, vif: "13", raw: 331 },
    { dataType: "dateTimeF", vif: "6d", raw: "2014-03-13T12:10:00Z" },
    { dataType: "dateG", storage: 1, vif: "6c", raw: "2013-12-31" },
    { dataType: "int16", vif: "5b", raw: 65 },
    { dataType: "int16", vif: "5f", raw: 40 },
    { dataType: "int24", vif: "3b", raw: 2070 },
    { dataType: "int8", vif: "fd", vife: ["17"], raw: 0 },
  ];
  const out: Uint8Array[] = [];
  for (let n = 1; n <= records.length; n++) {
    const { ci, data } = encodeUserData({
      header: {
        id: "12345678",
        manufacturer: "KAM",
        version: 8,
        medium: { code: 4, name: "" },
        accessNumber: n,
        status: 0,
        signature: 0,
      },
      records: records.slice(0, n),
    });
    out.push(encodeFrame(longFrame(0x08, 1, ci, data)));
  }
  return out;
}

function decodeAll(frames: readonly Uint8Array[]): number {
  let records = 0;
  for (let i = 0; i < frames.length; i++) {
    const f = decodeFrame(frames[i] as Uint8Array);
    if (!f.ok || f.value.type !== "long") continue;
    const t = decodeUserData(f.value.ci, f.value.data);
    if (t.ok) records += t.value.records.length;
  }
  return records;
}

/** Measures and prints decode throughput. */
export async function benchDecode(): Promise<void> {
  const { frames, source } = corpusFrames();
  const bytes = frames.reduce((s, f) => s + f.length, 0);
  const recordsPerPass = decodeAll(frames);
  // Warm up, then run passes for about 2 s, best of three rounds.
  let passes = 0;
  const warmEnd = performance.now() + 500;
  while (performance.now() < warmEnd) decodeAll(frames);
  // Best of five rounds; each round's time is the process CPU time (user + system), so
  // other processes on a busy machine do not count against us.
  let best = Infinity;
  let bestWall = Infinity;
  for (let round = 0; round < 5; round++) {
    const start = performance.now();
    const cpu0 = process.cpuUsage();
    passes = 0;
    while (performance.now() - start < 500) {
      decodeAll(frames);
      passes++;
    }
    const cpu = process.cpuUsage(cpu0);
    best = Math.min(best, (cpu.user + cpu.system) / 1000 / passes);
    bestWall = Math.min(bestWall, (performance.now() - start) / passes);
  }
  const perFrameUs = (best * 1000) / frames.length;
  const framesPerSecond = frames.length / (best / 1000);
  console.log(
    `decode: ${source}: ${frames.length} frames, ${bytes} bytes, ${recordsPerPass} records per pass`,
  );
  console.log(
    `decode: ${Math.round(framesPerSecond).toLocaleString("en-US")} frames/s, ${
      perFrameUs.toFixed(3)
    } µs/frame CPU time (link + user data, every record normalised; one core); wall clock ${
      Math.round(frames.length / (bestWall / 1000)).toLocaleString("en-US")
    } frames/s`,
  );
  await Promise.resolve();
}

if (import.meta.main) await benchDecode();
