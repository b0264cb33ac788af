/**
 * The gateway core, one room per part (see docs/architecture.md): `config/` (keys, defaults,
 * validation, atomic writes), `tree/` (the `%mbus:` address tree), `source/` (the
 * {@link MeterSource} contract and the bus arbiter), `events/`, `history/` (SQLite),
 * `polling/` (schedules, scheduler, publisher, emitter), `scans/`, `bridge/`, `wired/`,
 * `wireless/`, and `host/` with {@link Gateway} / {@link GatewayHost} that compose them.
 * May import every layer below (util, transport, master, app, wmbus).
 *
 * @example
 * ```ts
 * import { GatewayHost, parseConfig } from "./mod.ts";
 * const config = parseConfig({ gateways: [{ name: "heat", host: "127.0.0.1", addresses: [{ name: "1" }] }] });
 * // const host = await GatewayHost.create(config, { openSource });
 * // host.start(); host.lookup("%mbus:1/0/value");
 * ```
 * @module
 */
export * from "./config/mod.ts";
export * from "./tree/mod.ts";
export * from "./source/mod.ts";
export * from "./events/mod.ts";
export * from "./history/mod.ts";
export * from "./polling/mod.ts";
export * from "./scans/mod.ts";
export * from "./wired/mod.ts";
export * from "./wireless/mod.ts";
export * from "./host/mod.ts";
