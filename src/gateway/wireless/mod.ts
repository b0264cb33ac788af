/**
 * The wireless room: the wireless source (a receiver dongle or a text stream) and opening an
 * instance from its config. The table of meters heard and the listening side of a scan stay
 * inside the room.
 *
 * @module
 */
export * from "./wireless_source.ts";
export * from "./open_wireless.ts";
export { WIRELESS_UNITS } from "./driver_records.ts";
