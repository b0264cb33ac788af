/**
 * The master's operational errors: a meter that does not answer, and several meters
 * answering where one was asked.
 *
 * @module
 */
import { MbusError } from "../util/mod.ts";

/** No answer after every attempt (code `NO_RESPONSE`). */
export class NoResponseError extends MbusError {
  declare readonly code: "NO_RESPONSE";
  /** The address asked, as text (`5` or 16 hex digits). */
  readonly address: string;
  /** Requests sent, retries included. */
  readonly attempts: number;

  /**
   * Creates the error.
   *
   * @param address Address text.
   * @param attempts Requests sent.
   * @param what What was asked (`answer`, `acknowledge`, `selection`).
   */
  constructor(address: string, attempts: number, what = "answer") {
    super(
      "NO_RESPONSE",
      `No ${what} from meter ${address} after ${attempts} attempt${
        attempts === 1 ? "" : "s"
      }`,
    );
    this.address = address;
    this.attempts = attempts;
    this.name = "NoResponseError";
  }
}

/** Several meters answered at once (code `COLLISION`). */
export class CollisionError extends MbusError {
  declare readonly code: "COLLISION";
  /** The address asked, as text. */
  readonly address: string;

  /**
   * Creates the error.
   *
   * @param address Address text.
   * @param detail What collided.
   */
  constructor(address: string, detail = "several meters answered at once") {
    super("COLLISION", `Cannot talk to meter ${address}: ${detail}`);
    this.address = address;
    this.name = "CollisionError";
  }
}

/** A meter answered with something unusable (code `BAD_ANSWER`). */
export class BadAnswerError extends MbusError {
  declare readonly code: "BAD_ANSWER";
  /** The address asked, as text. */
  readonly address: string;

  /**
   * Creates the error.
   *
   * @param address Address text.
   * @param detail What was wrong.
   */
  constructor(address: string, detail: string) {
    super("BAD_ANSWER", `Cannot use the answer of meter ${address}: ${detail}`);
    this.address = address;
    this.name = "BadAnswerError";
  }
}
