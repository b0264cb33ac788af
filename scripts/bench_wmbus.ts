// deno-lint-ignore-file no-console
/**
 * Wireless decoding speed: telegrams per second through `parseTelegram` plus
 * `decodeWithDriver`, over the shared corpus (read in place), plain and AES separately
 * (the AES set is built by encrypting the corpus plaintexts with a test key: mode 5 for
 * TPL telegrams, AES-CTR for ELL II telegrams). Each AES case holds its key as a
 * `MeterKey`, as the gateway's meter table does per configured meter (schedules expanded
 * once). One core, no I/O in the timed loop; rates are given per CPU second (user +
 * system, `process.cpuUsage()`) and per wall second.
 *
 * Run alone: `deno run --allow-read scripts/bench_wmbus.ts`.
 *
 * @module
 */
import process from "node:process";
import { fromHex } from "../src/util/mod.ts";
import {
  createReceiverCodec,
  encodeIm871aIndication,
  encryptEllTelegram,
  encryptMode5Telegram,
  formatRtlWmbusLine,
  MeterKey,
  parseTelegram,
} from "../src/wmbus/mod.ts";
import {
  createMeterState,
  decodeWithDriver,
  type MeterState,
} from "../src/wmbus/drivers/mod.ts";

interface BenchCase {
  bytes: Uint8Array;
  key?: MeterKey;
  driver: string;
  state: MeterState;
}

const CORPUS_URL = new URL(
  "../../shared/corpus/wmbus/telegrams.json",
  import.meta.url,
);
const TEST_KEY = fromHex("00112233445566778899AABBCCDDEEFF");
const FALLBACK = [
  "1C44333003020100071B7A630020002F2F0265D2000242657E000165B5",
  "2A442D2C998734761B168D2091D37CAC21E1D68CDAFFCD3DC452BD802913FF7B1706CA9E355D6C2701CC24",
];

function loadCases(): { plain: BenchCase[]; aes: BenchCase[]; source: string } {
  let raw: { telegram: string; key: string | null; driver: string }[];
  let source = "corpus";
  try {
    raw = JSON.parse(Deno.readTextFileSync(CORPUS_URL));
  } catch {
    source = "built-in vectors (../shared absent)";
    raw = FALLBACK.map((telegram) => ({ telegram, key: null, driver: "auto" }));
  }
  const plain: BenchCase[] = [];
  const aes: BenchCase[] = [];
  for (const c of raw) {
    const bytes = fromHex(c.telegram);
    const key = c.key ? fromHex(c.key) : undefined;
    const parsed = parseTelegram(bytes, key ? { key } : {});
    if (!parsed.ok) continue;
    const base = { driver: c.driver, state: createMeterState() };
    if (!parsed.value.encrypted || !key) plain.push({ bytes, ...base });
    else aes.push({ bytes, key: new MeterKey(key), ...base });
    if (key || bytes[0] === 0x68 || parsed.value.warnings.length > 0) continue;
    try {
      const enc = bytes[10] === 0x8d
        ? encryptEllTelegram(bytes, TEST_KEY)
        : encryptMode5Telegram(bytes, TEST_KEY);
      aes.push({
        bytes: enc,
        key: new MeterKey(TEST_KEY),
        driver: c.driver,
        state: createMeterState(),
      });
    } catch {
      // not a plain mode 0/5 or ELL II telegram
    }
  }
  return { plain, aes, source };
}

/** CPU seconds (user + system) of this process since `from`. */
function cpuSeconds(from: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(from);
  return (u.user + u.system) / 1e6;
}

function run(
  cases: BenchCase[],
  minMs: number,
): { perSecond: number; perCpuSecond: number; n: number } {
  let n = 0;
  let sink = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const c of cases) {
      const r = parseTelegram(c.bytes, c.key ? { key: c.key } : {});
      if (r.ok) {
        sink += Object.keys(
          decodeWithDriver(r.value, { driver: c.driver, state: c.state })
            .json,
        ).length;
      }
      n++;
    }
    elapsed = performance.now() - start;
  }
  const cpuS = cpuSeconds(cpu);
  if (sink < 0) console.log(sink);
  return { perSecond: n / (elapsed / 1000), perCpuSecond: n / cpuS, n };
}

function runParseOnly(cases: BenchCase[], minMs: number): number {
  let n = 0;
  const cpu = process.cpuUsage();
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < minMs) {
    for (const c of cases) {
      parseTelegram(c.bytes, c.key ? { key: c.key } : {});
      n++;
    }
    elapsed = performance.now() - start;
  }
  return n / cpuSeconds(cpu);
}

/** Receiver codec throughput: telegrams/s framed out of a byte stream. */
function runCodecs(cases: BenchCase[]): void {
  const telegrams = cases.map((c) => c.bytes).filter((b) => b[0] !== 0x68);
  const streams = {
    im871a: telegrams.map((t) => encodeIm871aIndication(t, { crc: true })),
    rtlwmbus: telegrams.map((t) =>
      new TextEncoder().encode(formatRtlWmbusLine(t) + "\n")
    ),
  } as const;
  for (const [format, chunks] of Object.entries(streams)) {
    const codec = createReceiverCodec(format as "im871a" | "rtlwmbus");
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < 500) {
      for (const chunk of chunks) n += codec.push(chunk, 0).length;
    }
    const s = (performance.now() - start) / 1000;
    console.log(
      `wmbus receiver ${format}: ${Math.round(n / s)} telegrams/s framed`,
    );
  }
}

/** Prints wireless parse+decode throughput, plain and AES, and receiver framing speed. */
export async function benchWmbus(): Promise<void> {
  const { plain, aes, source } = loadCases();
  console.log(
    `wmbus: ${plain.length} plain and ${aes.length} AES telegrams from ${source}`,
  );
  run(plain, 200);
  run(aes, 200);
  for (const [label, cases] of [["plain", plain], ["aes", aes]] as const) {
    if (cases.length === 0) continue;
    const full = run(cases, 1000);
    const parse = runParseOnly(cases, 500);
    console.log(
      `wmbus ${label}: ${
        Math.round(full.perCpuSecond)
      } telegrams per CPU second parsed+decoded (${
        Math.round(full.perSecond)
      }/s wall), ${Math.round(parse)} per CPU second parsed only`,
    );
  }
  runCodecs(plain);
  await Promise.resolve();
}

if (import.meta.main) await benchWmbus();
