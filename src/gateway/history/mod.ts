/**
 * The history room: values over time in SQLite, with retention and queries.
 *
 * @module
 */
export * from "./history.ts";
