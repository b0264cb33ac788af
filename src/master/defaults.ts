/**
 * The master's defaults, written once: the gateway's configuration schema takes its
 * defaults for the same settings from here, and the CLI's reads use them too.
 *
 * @module
 */

/** Answer timeout of a request (first byte), ms. */
export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;
/** Pause between two requests, ms. */
export const DEFAULT_IDLE_TIMEOUT_MS = 1000;
/** Repeats after a timeout or a bad answer. */
export const DEFAULT_RETRY = 0;
/** Most telegrams fetched in a multi-telegram readout. */
export const DEFAULT_MAX_FRAMES = 16;
