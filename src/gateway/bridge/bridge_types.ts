/**
 * The shapes the TCP bridge shares between the server and its client session: options,
 * the connected client, and the bridge state.
 *
 * @module
 */
import type { Transport } from "../../transport/mod.ts";
import type { Clock } from "../../util/mod.ts";
import type { BusArbiter } from "../source/mod.ts";

/** Options of {@link BridgeServer.start}. */
export interface BridgeOptions {
  /** The bus the client is connected to. */
  transport: Transport;
  /** The instance's arbiter. */
  arbiter: BusArbiter;
  /** Time source for the idle limit and the handshake wait. */
  clock: Clock;
  /** Listen address. @default GATEWAY_DEFAULTS.tcpServerHost */
  hostname?: string;
  /** Listen port (0: any free port). @default GATEWAY_DEFAULTS.tcpServerPort */
  port?: number;
  /** Silence after which the bus goes back to polling, ms. @default GATEWAY_DEFAULTS.tcpServerIdleTimeout */
  idleLimitMs?: number;
  /** Why the bus is busy beyond the arbiter's holder (e.g. scan progress). */
  busyReason?: () => string | undefined;
  /** Called whenever the bridge state changes. */
  onChange?: (state: BridgeState) => void;
  /** Called when a client gives the bus back, before polling resumes (e.g. to resync FCB state). */
  onBusReturned?: () => void;
  /**
   * Clears every meter's link state on the bus (SND_NKE to the broadcast address). Sent
   * before a client gets the bus, so that its first REQ_UD2 (FCB = 1) gets a fresh first
   * telegram whatever polling left behind, and again when the gateway takes the bus back.
   */
  resetLinks?: () => Promise<void>;
}

/** The connected client. */
export interface BridgeSession {
  /** Client address, `host:port`. */
  client: string;
  /** Connection time, ISO-8601. */
  since: string;
  /** Bytes from the client to the bus. */
  bytesToBus: number;
  /** Bytes from the bus to the client. */
  bytesToClient: number;
  /** True while the bridge holds the bus for this client. */
  holdsBus: boolean;
}

/** What the bridge is doing. */
export interface BridgeState {
  /** Listen address, `host:port`. */
  listening: string;
  /** The connected client, if any. */
  session: BridgeSession | null;
  /** Sessions served since start. */
  sessions: number;
  /** Connections refused because another client was connected. */
  refused: number;
  /** Bytes from clients to the bus, all sessions. */
  bytesToBus: number;
  /** Bytes from the bus to clients, all sessions. */
  bytesToClient: number;
}
