/**
 * Maps the endpoint's clock to bus time. Paced (real-time or virtual-clock) endpoints use
 * the clock as is. Fast endpoints deliver answers at once, so the bus time of an exchange
 * (answer delay plus wire time) is not spent on the clock; bus time then runs ahead by the
 * modelled part and follows the clock for the master's own pauses and timeouts.
 *
 * @module
 */

/** Bus time for one endpoint. */
export class LineTimeline {
  readonly #paced: boolean;
  #lineFreeAt = -Infinity;
  #lastModel = 0;
  #lastReal: number | undefined;

  /** @param paced True when the clock itself is bus time. */
  constructor(paced: boolean) {
    this.#paced = paced;
  }

  /** @param now Clock time. @returns The bus time that corresponds to it. */
  toBus(now: number): number {
    if (this.#paced || this.#lastReal === undefined) return now;
    return this.#lastModel + (now - this.#lastReal);
  }

  /** @param now Clock time. @returns When master bytes written now start on the wire. */
  requestStart(now: number): number {
    return Math.max(this.toBus(now), this.#lineFreeAt);
  }

  /**
   * Records an exchange.
   *
   * @param now Clock time of the write.
   * @param requestEnd Bus time the master's bytes end.
   * @param answerEnd Bus time the last answer byte ends (or `requestEnd`).
   */
  record(now: number, requestEnd: number, answerEnd: number): void {
    this.#lineFreeAt = requestEnd;
    if (!this.#paced) {
      this.#lastModel = Math.max(requestEnd, answerEnd);
      this.#lastReal = now;
    }
  }
}
