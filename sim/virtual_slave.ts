/**
 * A virtual wired M-Bus slave: primary and secondary address, telegrams of pre-encoded
 * records, FCB repetition, multi-telegram readout, selection, set address, baud switch,
 * application reset, and optional failure modes. It sees decoded request frames and
 * answers with the bytes it would put on the wire (or nothing).
 *
 * Behaviour choices (EN 13757-2/-3 leave room; these follow common meters and libmbus):
 * - FCB (mbus-wired.md §2.4): a slave with several telegrams answers REQ_UD2 with FCV = 1
 *   and an unchanged FCB by repeating its last answer byte for byte; a toggled FCB moves
 *   to the next telegram (after the last one, back to the first). A slave with a single
 *   telegram ignores FCB, as the standard says: every REQ_UD2 gets a fresh telegram (new
 *   access number, refreshed values). `fcbRepeat: true` (per fixture) makes a
 *   single-telegram meter repeat on an unchanged FCB anyway, as some meters do.
 *   SND_NKE and application reset (CI 0x50) clear the FCB state and restart at the first
 *   telegram. SND_UD commands (set address, baud switch, reset, data) are executed every
 *   time: like most meters, the slave keeps no FCB state for them.
 * - Selection and FCB: the FCB state is per slave and shared between primary and secondary
 *   addressing (§2.4). A selection (SND_UD, CI 0x52 to 253) is a network-layer command
 *   that neither toggles nor clears it, and a deselection does not either; only SND_NKE
 *   (to the primary address, or to 253 while selected) and application reset clear it.
 *   So a master that selects a multi-telegram meter another master left in the middle of
 *   a readout must send SND_NKE to 253 after the selection (or toggle from the FCB last
 *   used) to get the first telegram fresh.
 * - Addressing: its primary address, 254, and 253 while selected; 255 executes silently.
 *   A select (CI 0x52 to 253) that does not match deselects.
 * - Set address accepts 0..250 and ignores 251..255 (still acknowledged).
 * - Baud switch: acknowledged at the old rate; from then on the slave hears only the new.
 * - REQ_UD1 gets an ACK (no class 1 data).
 *
 * @module
 */
import {
  ACK,
  ADDRESS_BROADCAST_NO_REPLY,
  ADDRESS_BROADCAST_REPLY,
  ADDRESS_MAX_PRIMARY,
  ADDRESS_NETWORK_LAYER,
  C_FCB,
  C_FCV,
  C_REQ_UD1,
  C_REQ_UD1_FCB,
  C_REQ_UD2,
  C_REQ_UD2_FCB,
  C_SND_NKE,
  C_SND_UD,
  C_SND_UD_FCB,
  CI_APPLICATION_RESET,
  CI_BAUD_300,
  CI_BAUD_38400,
  CI_BAUD_RATES,
  CI_DATA_SEND,
  CI_SELECT,
  type Frame,
} from "../src/link/mod.ts";
import { createRandom, hashSeed, type Random } from "./_random.ts";
import { checkTelegrams, encodeRspUd } from "./_rsp_ud.ts";
import { applyFailure, type FailureMode } from "./failure_mode.ts";
import {
  encodeIdentity,
  formatSecondaryAddress,
  matchesSelectMask,
  type SlaveIdentity,
} from "./slave_identity.ts";
import type {
  SlaveAnswer,
  SlaveSummary,
  VirtualSlaveOptions,
} from "./slave_types.ts";

export type { SlaveAnswer, SlaveSummary, VirtualSlaveOptions };

/** Record `01 7A nn`: set primary address (DIF 8-bit integer, VIF bus address). */
const DIF_INT8 = 0x01;
const VIF_BUS_ADDRESS = 0x7a;

/**
 * One virtual meter on a {@link VirtualBus}.
 *
 * @example
 * ```ts
 * import { VirtualSlave } from "./mod.ts";
 * const slave = new VirtualSlave({ id: "12345678", manufacturer: "KAM", version: 1, medium: 4, primaryAddress: 5 });
 * slave.receive({ type: "short", c: 0x40, a: 5 }, 2400); // { bytes: e5, ... }
 * ```
 */
export class VirtualSlave {
  readonly #identity: SlaveIdentity;
  readonly #address: Uint8Array;
  readonly #name: string;
  readonly #telegrams: readonly Uint8Array[];
  readonly #status: number;
  readonly #failure: FailureMode | undefined;
  readonly #random: Random;
  readonly #refresh: VirtualSlaveOptions["refreshTelegram"];
  readonly #followsFcb: boolean;
  #fresh = 0;
  #muted = false;
  #primary: number;
  #baudRate: number;
  #answerDelayMs: number;
  #selected = false;
  #index = 0;
  #lastFcb: boolean | undefined;
  #lastAnswer: Uint8Array | undefined;
  #access = 0;
  #requests = 0;
  #answers = 0;

  /**
   * Creates a slave.
   *
   * @param options Identity, telegrams and behaviour.
   * @throws {RangeError} For a bad address, identity or an oversized telegram.
   */
  constructor(options: VirtualSlaveOptions) {
    this.#identity = {
      id: options.id.toUpperCase(),
      manufacturer: options.manufacturer.toUpperCase(),
      version: options.version,
      medium: options.medium,
    };
    this.#address = encodeIdentity(this.#identity);
    const primary = options.primaryAddress ?? 0;
    if (
      !Number.isInteger(primary) || primary < 0 || primary > ADDRESS_MAX_PRIMARY
    ) {
      throw new RangeError(
        `Cannot create slave: primary address ${primary} is not 0..250`,
      );
    }
    this.#primary = primary;
    this.#name = options.name ?? formatSecondaryAddress(this.#identity);
    this.#telegrams = options.telegrams?.length
      ? options.telegrams
      : [new Uint8Array(0)];
    checkTelegrams(this.#name, this.#telegrams);
    this.#status = options.status ?? 0;
    this.#baudRate = options.baudRate ?? 2400;
    const seed = options.seed ?? hashSeed(this.#name + this.#identity.id);
    this.#answerDelayMs = options.answerDelayMs ?? 8 + (seed % 24_000) / 1000;
    this.#failure = options.failure;
    this.#random = createRandom(seed);
    this.#followsFcb = this.#telegrams.length > 1 || options.fcbRepeat === true;
    this.#refresh = options.refreshTelegram;
    this.#access = seed & 0xff;
  }

  /** Name for stats and logs. */
  get name(): string {
    return this.#name;
  }
  /** Identification, manufacturer, version, medium. */
  get identity(): SlaveIdentity {
    return { ...this.#identity };
  }
  /** Current primary address (changed by a set-address telegram). */
  get primaryAddress(): number {
    return this.#primary;
  }
  /** Current line speed (changed by a baud switch). */
  get baudRate(): number {
    return this.#baudRate;
  }
  /** True while selected by secondary address. */
  get isSelected(): boolean {
    return this.#selected;
  }
  /** Delay from the end of a request to the answer, in ms. */
  get answerDelayMs(): number {
    return this.#answerDelayMs;
  }
  set answerDelayMs(ms: number) {
    this.#answerDelayMs = Math.max(0, ms);
  }
  /** A muted slave hears nothing and answers nothing (a meter gone silent). */
  get muted(): boolean {
    return this.#muted;
  }
  set muted(on: boolean) {
    this.#muted = on;
  }
  /** Number of telegrams in a full readout. */
  get telegramCount(): number {
    return this.#telegrams.length;
  }

  /**
   * Describes the slave as it is now.
   *
   * @returns A snapshot for statistics.
   */
  summary(): SlaveSummary {
    return {
      name: this.#name,
      ...this.#identity,
      primaryAddress: this.#primary,
      secondaryAddress: formatSecondaryAddress(this.#identity),
      baudRate: this.#baudRate,
      isSelected: this.#selected,
      telegrams: this.#telegrams.length,
      requests: this.#requests,
      answers: this.#answers,
      failure: this.#failure?.mode ?? null,
    };
  }

  /**
   * Hands the slave one frame from the master, heard at `lineBaudRate`. A slave hears only
   * its own baud rate, answers only valid frames addressed to it (primary address, 254, or
   * 253 while selected), and answers a broadcast to 255 never.
   *
   * @param frame A decoded frame from the wire.
   * @param lineBaudRate The rate the master sent at.
   * @returns The answer, or undefined for silence.
   */
  receive(frame: Frame, lineBaudRate: number): SlaveAnswer | undefined {
    if (
      this.#muted || lineBaudRate !== this.#baudRate || frame.type === "ack"
    ) {
      return undefined;
    }
    if (this.#failure?.mode === "silent") return undefined;
    if (this.#failure?.mode === "intermittent" && this.#dice()) {
      return undefined;
    }
    const baudRate = this.#baudRate;
    const bytes = this.#execute(frame);
    if (!bytes) return undefined;
    this.#answers++;
    const damaged = this.#failure
      ? applyFailure(bytes, this.#failure, this.#random)
      : {
        bytes,
        extraDelayMs: 0,
      };
    if (damaged.bytes.length === 0) return undefined;
    // EN 13757-2: an answer starts no sooner than 11 bit times after the request.
    const delayMs = Math.max(this.#answerDelayMs, 11_000 / baudRate);
    return {
      bytes: damaged.bytes,
      delayMs: delayMs + damaged.extraDelayMs,
      baudRate,
    };
  }

  #dice(): boolean {
    return this.#random() < (this.#failure?.probability ?? 0.5);
  }

  #isAddressed(a: number): boolean {
    return a === this.#primary || a === ADDRESS_BROADCAST_REPLY ||
      (a === ADDRESS_NETWORK_LAYER && this.#selected);
  }

  #execute(frame: Exclude<Frame, { type: "ack" }>): Uint8Array | undefined {
    if (frame.type !== "short" && frame.ci === CI_SELECT) {
      return this.#select(
        frame.c,
        frame.a,
        frame.type === "long" ? frame.data : undefined,
      );
    }
    const broadcast = frame.a === ADDRESS_BROADCAST_NO_REPLY;
    if (!broadcast && !this.#isAddressed(frame.a)) return undefined;
    if (!broadcast) this.#requests++;
    let answer: Uint8Array | undefined;
    if (frame.type === "short") answer = this.#short(frame.c, frame.a);
    else {
      const data = frame.type === "long" ? frame.data : new Uint8Array(0);
      answer = this.#sndUd(frame.c, frame.ci, data);
    }
    return broadcast ? undefined : answer;
  }

  #select(
    c: number,
    a: number,
    data: Uint8Array | undefined,
  ): Uint8Array | undefined {
    if ((c !== C_SND_UD && c !== C_SND_UD_FCB) || a !== ADDRESS_NETWORK_LAYER) {
      return undefined;
    }
    if (!data || data.length < 8) return undefined;
    this.#selected = matchesSelectMask(data, this.#address);
    if (!this.#selected) return undefined;
    this.#requests++;
    return Uint8Array.of(ACK);
  }

  #short(c: number, a: number): Uint8Array | undefined {
    switch (c) {
      case C_SND_NKE:
        this.#resetLink();
        if (a === ADDRESS_NETWORK_LAYER) this.#selected = false;
        return Uint8Array.of(ACK);
      case C_REQ_UD2:
      case C_REQ_UD2_FCB:
      case C_REQ_UD2 & ~C_FCV:
        return this.#reqUd2(c);
      case C_REQ_UD1:
      case C_REQ_UD1_FCB:
        return Uint8Array.of(ACK);
      default:
        return undefined;
    }
  }

  #sndUd(c: number, ci: number, data: Uint8Array): Uint8Array | undefined {
    if (c !== C_SND_UD && c !== C_SND_UD_FCB) return undefined;
    if (ci === CI_DATA_SEND) {
      if (
        data[0] === DIF_INT8 && data[1] === VIF_BUS_ADDRESS && data.length >= 3
      ) {
        const next = data[2] ?? 0;
        if (next <= ADDRESS_MAX_PRIMARY) this.#primary = next;
      }
      return Uint8Array.of(ACK);
    }
    if (ci === CI_APPLICATION_RESET) {
      this.#resetLink();
      return Uint8Array.of(ACK);
    }
    if (ci >= CI_BAUD_300 && ci <= CI_BAUD_38400) {
      this.#baudRate = CI_BAUD_RATES[ci - CI_BAUD_300] ?? this.#baudRate;
      return Uint8Array.of(ACK);
    }
    return undefined;
  }

  #resetLink(): void {
    this.#lastFcb = undefined;
    this.#lastAnswer = undefined;
    this.#index = 0;
  }

  #reqUd2(c: number): Uint8Array {
    const fcv = (c & C_FCV) !== 0 && this.#followsFcb;
    const fcb = (c & C_FCB) !== 0;
    if (fcv && this.#lastAnswer && this.#lastFcb === fcb) {
      return this.#lastAnswer;
    }
    if (fcv && this.#lastFcb !== undefined) {
      this.#index = (this.#index + 1) % this.#telegrams.length;
    }
    const answer = this.#telegram(this.#index);
    if (fcv) {
      this.#lastFcb = fcb;
      this.#lastAnswer = answer;
    }
    return answer;
  }

  #records(index: number): Uint8Array {
    const fixed = this.#telegrams[index] ?? new Uint8Array(0);
    const fresh = this.#refresh?.(index, this.#fresh++);
    return fresh && fresh.length === fixed.length ? fresh : fixed;
  }

  #telegram(index: number): Uint8Array {
    this.#access = (this.#access + 1) & 0xff;
    return encodeRspUd({
      primaryAddress: this.#primary,
      address: this.#address,
      accessNumber: this.#access,
      status: this.#status,
      records: this.#records(index),
      hasMore: index < this.#telegrams.length - 1,
    });
  }
}
