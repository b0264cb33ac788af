/**
 * What crossed the wire of a {@link VirtualBus}, on one yardstick for every master.
 *
 * Bus time is defined as
 * `busTimeMs = wireMs + answerWaitMs + silentWaitMs`, where
 * - `wireMs`: every byte on the wire at 11 bits per byte at the bus's baud rate (requests,
 *   and answers from the first start bit to the last stop bit; overlapping answers count
 *   once, as the span they occupy);
 * - `answerWaitMs`: from the end of each answered request to the first answer bit;
 * - `silentWaitMs`: after a request that expected an answer and got none, the time until
 *   the master gave up: the start of its next request, or the end of its read timeout
 *   (in-process endpoint), capped at `maxWaitMs`.
 *
 * Not in bus time but reported: `turnaroundMs`, the master's pauses after an answer
 * until its next request (purges, idle pauses; each capped at `maxWaitMs`), and
 * `elapsedMs`, first request to last activity.
 *
 * @module
 */
import type { SlaveSummary } from "./virtual_slave.ts";

/** Requests by kind. */
export interface RequestCounts {
  /** SND_NKE (C 0x40). */
  sndNke: number;
  /** REQ_UD2 (C 0x5B / 0x7B). */
  reqUd2: number;
  /** REQ_UD1 (C 0x5A / 0x7A). */
  reqUd1: number;
  /** Slave selection (SND_UD with CI 0x52). */
  select: number;
  /** Other SND_UD (set address, baud switch, reset, data). */
  sndUd: number;
  /** Anything else the master sent as a valid frame. */
  other: number;
}

/** Statistics of a virtual bus (the JSON of `--stats FILE`). */
export interface BusStats {
  /** The bus's line speed now. */
  baudRate: number;
  /** Valid frames sent by the master. */
  requests: number;
  /** The same, by kind. */
  requestsByType: RequestCounts;
  /** Requests to 255 (no answer expected). */
  broadcasts: number;
  /** Answers sent by slaves (each slave's answer counts). */
  answers: number;
  /** Requests answered by two or more slaves at once. */
  collisions: number;
  /** Requests that expected an answer and got none. */
  silentProbes: number;
  /** Bytes the master sent. */
  bytesToSlaves: number;
  /** Bytes the master received (after collisions merged them). */
  bytesFromSlaves: number;
  /** Master bytes that formed no valid frame (slaves ignore them). */
  garbageBytes: number;
  /** Wire time of all bytes, ms. */
  wireMs: number;
  /** Waits from request end to answer start, ms. */
  answerWaitMs: number;
  /** Waits after unanswered requests, ms (each capped at `maxWaitMs`). */
  silentWaitMs: number;
  /** `wireMs + answerWaitMs + silentWaitMs`. */
  busTimeMs: number;
  /** Master pauses after answers, ms (each capped), not part of bus time. */
  turnaroundMs: number;
  /** First request start to last activity, ms. */
  elapsedMs: number;
  /** Cap on one silent wait or turnaround, ms. */
  maxWaitMs: number;
  /** Every meter on the bus. */
  meters: SlaveSummary[];
}

function zeroCounts(): RequestCounts {
  return { sndNke: 0, reqUd2: 0, reqUd1: 0, select: 0, sndUd: 0, other: 0 };
}

/** Counts exchanges for a bus; the bus feeds it, {@link snapshot} reads it. */
export class BusStatsRecorder {
  readonly #maxWaitMs: number;
  #s = BusStatsRecorder.#zero();
  #firstAt: number | undefined;
  #lastAt = 0;
  #openKind: "silent" | "turnaround" | undefined;
  #openSince = 0;

  /**
   * Creates a zeroed recorder.
   *
   * @param maxWaitMs Cap on one silent wait or turnaround.
   */
  constructor(maxWaitMs: number) {
    this.#maxWaitMs = maxWaitMs;
  }

  static #zero() {
    return {
      requests: 0,
      requestsByType: zeroCounts(),
      broadcasts: 0,
      answers: 0,
      collisions: 0,
      silentProbes: 0,
      bytesToSlaves: 0,
      bytesFromSlaves: 0,
      garbageBytes: 0,
      wireMs: 0,
      answerWaitMs: 0,
      silentWaitMs: 0,
      turnaroundMs: 0,
    };
  }

  /** Forgets everything. */
  reset(): void {
    this.#s = BusStatsRecorder.#zero();
    this.#firstAt = undefined;
    this.#lastAt = 0;
    this.#openKind = undefined;
  }

  /**
   * The master starts sending: closes an open wait.
   * @param atMs Start of the bytes. @param count Number of bytes. @param charMs Time per byte.
   */
  masterBytes(atMs: number, count: number, charMs: number): void {
    this.closeWait(atMs);
    this.#firstAt ??= atMs;
    this.#s.bytesToSlaves += count;
    this.#s.wireMs += count * charMs;
    this.#touch(atMs + count * charMs);
  }

  /**
   * Counts master bytes that formed no frame.
   *
   * @param count Number of bytes.
   */
  garbage(count: number): void {
    this.#s.garbageBytes += count;
  }

  /**
   * Counts a valid request frame.
   *
   * @param kind Its kind.
   * @param broadcast Sent to 255.
   */
  request(kind: keyof RequestCounts, broadcast: boolean): void {
    this.#s.requests++;
    this.#s.requestsByType[kind]++;
    if (broadcast) this.#s.broadcasts++;
  }

  /**
   * Opens a silent wait after a request that expected an answer and got none.
   *
   * @param endMs End of the request.
   */
  silent(endMs: number): void {
    this.#s.silentProbes++;
    this.#openKind = "silent";
    this.#openSince = endMs;
  }

  /**
   * Counts an answered request.
   *
   * @param requestEndMs End of the request. @param firstMs First answer bit.
   * @param lastMs Last answer byte's end. @param senders Slaves that answered.
   * @param received Bytes the master receives.
   */
  answered(
    requestEndMs: number,
    firstMs: number,
    lastMs: number,
    senders: number,
    received: number,
  ): void {
    this.#s.answers += senders;
    if (senders > 1) this.#s.collisions++;
    this.#s.bytesFromSlaves += received;
    this.#s.answerWaitMs += Math.max(0, firstMs - requestEndMs);
    this.#s.wireMs += Math.max(0, lastMs - firstMs);
    this.#openKind = "turnaround";
    this.#openSince = lastMs;
    this.#touch(lastMs);
  }

  /**
   * The master stopped waiting: its next request closes any wait; a read timeout
   * (`silentOnly`) closes only a silent wait, so a turnaround runs to the next request.
   *
   * @param atMs When.
   * @param silentOnly Leave a turnaround open.
   */
  closeWait(atMs: number, silentOnly = false): void {
    if (!this.#openKind || atMs < this.#openSince) return;
    if (silentOnly && this.#openKind !== "silent") return;
    const wait = Math.min(atMs - this.#openSince, this.#maxWaitMs);
    if (this.#openKind === "silent") this.#s.silentWaitMs += wait;
    else this.#s.turnaroundMs += wait;
    this.#openKind = undefined;
    this.#touch(this.#openSince + wait);
  }

  #touch(atMs: number): void {
    this.#lastAt = Math.max(this.#lastAt, atMs);
  }

  /**
   * Copies the counters out.
   *
   * @param baudRate Current bus speed. @param meters The slaves.
   * @returns A copy of the counters.
   */
  snapshot(baudRate: number, meters: SlaveSummary[]): BusStats {
    const s = this.#s;
    return {
      baudRate,
      ...s,
      requestsByType: { ...s.requestsByType },
      busTimeMs: s.wireMs + s.answerWaitMs + s.silentWaitMs,
      elapsedMs: this.#firstAt === undefined ? 0 : this.#lastAt - this.#firstAt,
      maxWaitMs: this.#maxWaitMs,
      meters,
    };
  }
}
