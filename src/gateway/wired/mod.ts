/**
 * The wired room: the {@link WiredSource} that reads meters through the M-Bus master.
 *
 * @module
 */
export * from "./wired_source.ts";
