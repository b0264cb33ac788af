/**
 * The tree room: meter names, the `%mbus:` path notation, and the address tree of one
 * instance (meters, records, values) that readings update and lookups read.
 *
 * @module
 */
export * from "./meter_name.ts";
export * from "./mbus_path.ts";
export * from "./address_tree.ts";
