/**
 * Reads server-sent events from a response body, one block at a time.
 *
 * @module
 */

/** One SSE block: an event or a comment. */
export interface SseBlock {
  /** `event:` field (undefined for a comment-only block). */
  event?: string;
  /** `id:` field. */
  id?: string;
  /** Joined `data:` lines. */
  data?: string;
  /** Comment text, without the leading colon. */
  comment?: string;
  /** `retry:` field. */
  retry?: string;
}

/** Parses one block of lines. */
export function parseBlock(text: string): SseBlock {
  const block: SseBlock = {};
  const data: string[] = [];
  for (const line of text.split("\n")) {
    if (line.startsWith(":")) block.comment = line.slice(1).trim();
    else if (line.startsWith("event: ")) block.event = line.slice(7);
    else if (line.startsWith("id: ")) block.id = line.slice(4);
    else if (line.startsWith("retry: ")) block.retry = line.slice(7);
    else if (line.startsWith("data: ")) data.push(line.slice(6));
  }
  if (data.length) block.data = data.join("\n");
  return block;
}

/** Pulls SSE blocks from a byte stream. */
export class SseReader {
  #reader: ReadableStreamDefaultReader<Uint8Array>;
  #decoder = new TextDecoder();
  #buffer = "";

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  /** The next block, or undefined at the end of the stream. */
  async next(): Promise<SseBlock | undefined> {
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const text = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        return parseBlock(text);
      }
      const { done, value } = await this.#reader.read();
      if (done) return undefined;
      this.#buffer += this.#decoder.decode(value, { stream: true });
    }
  }

  /** The next block that is an event (comments skipped). */
  async nextEvent(): Promise<SseBlock | undefined> {
    for (;;) {
      const b = await this.next();
      if (b === undefined || b.event !== undefined) return b;
    }
  }

  /** Cancels the stream (the client goes away). */
  async cancel(): Promise<void> {
    await this.#reader.cancel();
  }
}
