/**
 * The source room: the {@link MeterSource} contract every bus implements (wired master,
 * wireless receiver), the {@link BusArbiter} that gives the bus to one owner at a time, and
 * the `legacyDriver` naming of a reading. Imports no other gateway room.
 *
 * @module
 */
export * from "./meter_source.ts";
export * from "./arbiter.ts";
export * from "./legacy.ts";
export * from "./supervised_source.ts";
export * from "./wire_tap.ts";
