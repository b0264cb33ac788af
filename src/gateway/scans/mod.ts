/**
 * The scans room: scan jobs (one at a time per instance, cancellable, remembered) and the
 * checks on scan parameters before the bus is touched.
 *
 * @module
 */
export * from "./scan_job.ts";
export * from "./scan_runner.ts";
