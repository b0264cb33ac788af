/**
 * The four EN 13757-2 frame kinds as plain data, small builders and C field helpers.
 *
 * @module
 */
import {
  C_FCB,
  C_PRM,
  C_REQ_UD1,
  C_REQ_UD1_FCB,
  C_REQ_UD2,
  C_REQ_UD2_FCB,
  C_RSP_UD,
  C_RSP_UD_ACD,
  C_RSP_UD_ACD_DFC,
  C_RSP_UD_DFC,
  C_SND_NKE,
  C_SND_UD,
  C_SND_UD_FCB,
} from "./constants.ts";

/** Any link-layer frame. */
export type Frame = AckFrame | ShortFrame | ControlFrame | LongFrame;

/** The single character `E5`. */
export interface AckFrame {
  /** Kind. */
  type: "ack";
}

/** `10 C A CS 16`. */
export interface ShortFrame {
  /** Kind. */
  type: "short";
  /** Control field. */
  c: number;
  /** Address field. */
  a: number;
}

/** `68 03 03 68 C A CI CS 16`: a long frame without data. */
export interface ControlFrame {
  /** Kind. */
  type: "control";
  /** Control field. */
  c: number;
  /** Address field. */
  a: number;
  /** Control information field. */
  ci: number;
}

/** `68 L L 68 C A CI data… CS 16`. */
export interface LongFrame {
  /** Kind. */
  type: "long";
  /** Control field. */
  c: number;
  /** Address field. */
  a: number;
  /** Control information field. */
  ci: number;
  /** User data, 0..252 bytes (0 bytes is encoded exactly like a control frame). */
  data: Uint8Array;
}

/**
 * The single-character acknowledge.
 *
 * @returns The `E5` acknowledge.
 */
export function ackFrame(): AckFrame {
  return { type: "ack" };
}

/**
 * Builds a short frame.
 *
 * @param c Control field.
 * @param a Address field.
 * @returns The frame.
 */
export function shortFrame(c: number, a: number): ShortFrame {
  return { type: "short", c, a };
}

/**
 * Builds a control frame.
 *
 * @param c Control field.
 * @param a Address field.
 * @param ci Control information field.
 * @returns The frame.
 */
export function controlFrame(c: number, a: number, ci: number): ControlFrame {
  return { type: "control", c, a, ci };
}

/**
 * Builds a long frame.
 *
 * @param c Control field.
 * @param a Address field.
 * @param ci Control information field.
 * @param data User data (kept, not copied).
 * @returns The frame.
 */
export function longFrame(
  c: number,
  a: number,
  ci: number,
  data: Uint8Array,
): LongFrame {
  return { type: "long", c, a, ci, data };
}

/**
 * Tells whether a C field was sent by the master (PRM bit set). A converter that echoes
 * the master's own bytes produces such frames on the receive side.
 *
 * @param c Control field.
 * @returns True for master → slave frames.
 */
export function isFromMaster(c: number): boolean {
  return (c & C_PRM) !== 0;
}

/**
 * Sets or clears the FCB bit of a master C field.
 *
 * @param c Control field, e.g. {@link C_REQ_UD2}.
 * @param fcb The frame count bit.
 * @returns The C field with FCB set to `fcb`.
 */
export function withFcb(c: number, fcb: boolean): number {
  return fcb ? (c | C_FCB) & 0xff : c & ~C_FCB & 0xff;
}

const C_NAMES: ReadonlyMap<number, string> = new Map([
  [C_SND_NKE, "SND_NKE"],
  [C_SND_UD, "SND_UD"],
  [C_SND_UD_FCB, "SND_UD"],
  [C_REQ_UD1, "REQ_UD1"],
  [C_REQ_UD1_FCB, "REQ_UD1"],
  [C_REQ_UD2, "REQ_UD2"],
  [C_REQ_UD2_FCB, "REQ_UD2"],
  [C_RSP_UD, "RSP_UD"],
  [C_RSP_UD_DFC, "RSP_UD"],
  [C_RSP_UD_ACD, "RSP_UD"],
  [C_RSP_UD_ACD_DFC, "RSP_UD"],
]);

/**
 * Names a C field for logs and the decode command.
 *
 * @param c Control field.
 * @returns `SND_NKE`, `SND_UD`, `REQ_UD1`, `REQ_UD2`, `RSP_UD`, or undefined if unknown.
 */
export function cFieldName(c: number): string | undefined {
  return C_NAMES.get(c);
}

/**
 * Names a frame for logs: `ACK`, or the C field name (or `C=xx`) with the address.
 *
 * @param frame The frame.
 * @returns E.g. `REQ_UD2 a=5`.
 */
export function describeFrame(frame: Frame): string {
  if (frame.type === "ack") return "ACK";
  const name = cFieldName(frame.c) ??
    `C=${frame.c.toString(16).padStart(2, "0")}`;
  const ci = frame.type === "short"
    ? ""
    : ` ci=${frame.ci.toString(16).padStart(2, "0")}`;
  const len = frame.type === "long" ? ` data=${frame.data.length}` : "";
  return `${name} a=${frame.a}${ci}${len}`;
}
