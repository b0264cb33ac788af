/**
 * mbusgw as a library: the wired M-Bus codecs (EN 13757-2 frames, EN 13757-3 records,
 * decoder and encoder), the transports, the master (reads, scans, commands), and the
 * wireless M-Bus layers and drivers. The gateway, the HTTP API and the simulator are
 * reached through their own modules (`src/gateway/mod.ts`, `src/api/mod.ts`,
 * `sim/mod.ts`).
 *
 * @example
 * ```ts
 * import { decodeFrame, decodeUserData, fromHex } from "./mod.ts";
 * const frame = decodeFrame(fromHex("68 03 03 68 53 01 50 a4 16"));
 * if (frame.ok && frame.value.type === "long") decodeUserData(frame.value.ci, frame.value.data);
 * ```
 * @module
 */
export * from "./src/util/mod.ts";
export * from "./src/link/mod.ts";
export * from "./src/app/mod.ts";
export * from "./src/transport/mod.ts";
export * from "./src/master/mod.ts";
export * as wmbus from "./src/wmbus/mod.ts";
export * as wmbusDrivers from "./src/wmbus/drivers/mod.ts";
