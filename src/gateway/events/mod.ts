/**
 * The events room: what a gateway reports (values, scans, bus and bridge state, failed
 * reads) and the hub that fans events out to listeners.
 *
 * @module
 */
export * from "./events.ts";
