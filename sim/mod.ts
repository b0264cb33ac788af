/**
 * The virtual M-Bus: virtual slaves (primary and secondary address, records, FCB,
 * multi-telegram readout, selection, baud switch, failure modes), the bus that delivers
 * each request to every slave and merges simultaneous answers into a collision, its
 * statistics, and endpoints a master plugs into: in process (a `Transport`), TCP (like an
 * M-Bus-to-TCP converter) and a pseudo-terminal (like a USB converter). May import the
 * codecs of src/ (link, app, util, transport) and fixtures/.
 *
 * Entry points:
 * - `createSimulation(scenarioOrName, { baudRate?, maxWaitMs?, liveValues? })` → a
 *   populated `VirtualBus`; `SCENARIOS` (incl. `demo`), `METERS`, `loadScenario(nameOrPath)`,
 *   `generateBus({ meters, seed })`.
 * - `bus.connect({ clock?, paced?, latencyMs?, echo? })` → an `InProcessEndpoint`
 *   (a `Transport`); `startTcpEndpoint(bus, { host?, port?, realtime?, echo?, handoverMs? })`;
 *   `startPtyEndpoint(bus, { realtime?, echo? })`; `bus.monitor()` hears and injects bytes.
 * - `endpoint.faults` (TCP and pty): `dropMidFrame()`, `stall(ms)`, `refuse(ms)`,
 *   `garbage(n)`, `slowBytes(ms, gapMs)`, `silence(address, ms)`, with a log of start and
 *   end times (`faults.ts`); `parseFaultCommand()` reads the same as text lines.
 * - `bus.stats()` → `BusStats`; bus time is defined in `bus_stats.ts`:
 *   `busTimeMs = wireMs + answerWaitMs + silentWaitMs`.
 *
 * @example
 * ```ts
 * import { VirtualBus, VirtualSlave } from "./mod.ts";
 * import { VirtualClock } from "../src/util/mod.ts";
 * const bus = new VirtualBus({ baudRate: 2400 });
 * bus.addSlave(new VirtualSlave({ id: "12345678", manufacturer: "KAM", version: 1, medium: 4, primaryAddress: 5 }));
 * const clock = new VirtualClock();
 * await using port = bus.connect({ clock });
 * await port.write(Uint8Array.of(0x10, 0x40, 0x05, 0x45, 0x16)); // SND_NKE to 5
 * await clock.drive(port.read(1, 300)); // e5
 * bus.stats().requests; // 1
 * ```
 * @module
 */
export * from "./bus_stats.ts";
export * from "./failure_mode.ts";
export * from "./slave_identity.ts";
export * from "./virtual_bus.ts";
export * from "./virtual_slave.ts";
export * from "./wired_and.ts";
export * from "./endpoints/in_process.ts";
export * from "./scenario.ts";
export * from "./meter_fixtures.ts";
export * from "./scenarios.ts";
export * from "./create_slave.ts";
export * from "./generate_bus.ts";
export * from "./simulation.ts";
export * from "./bus_monitor.ts";
export * from "./endpoints/tcp.ts";
export * from "./endpoints/pty.ts";
export * from "./endpoints/faults.ts";
export type { Random } from "./_random.ts";
export type {
  AckFrame,
  ControlFrame,
  Frame,
  LongFrame,
  ShortFrame,
} from "../src/link/mod.ts";
export type {
  DataType,
  RecordFunction,
  RecordInput,
  RecordValue,
} from "../src/app/mod.ts";
export type { Transport, TransportStats } from "../src/transport/mod.ts";
export type { Clock } from "../src/util/mod.ts";
export * from "./live_values.ts";
export * from "./wmbus/mod.ts";
