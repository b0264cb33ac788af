/**
 * The polling room: schedules (ms or cron) and their ticks, the scheduler that runs groups
 * of meters on them, the publisher that reads one meter under the arbiter, and the emitter that
 * turns a reading into tree updates, events and history rows.
 *
 * @module
 */
export * from "./ticks.ts";
export * from "./scheduler.ts";
export * from "./meter_publisher.ts";
export * from "./emitter.ts";
