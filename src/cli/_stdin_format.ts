/**
 * `wmbus listen --stdin` without `--format`: the line format is read from the first line,
 * so that `mbusgw sim --wireless rtlwmbus | mbusgw wmbus listen --stdin` (or rtl_wmbus
 * itself) decodes instead of dropping every line as not hex.
 *
 * @module
 */

/** The stdin formats told apart by their first line. */
export type LineFormat = "rtlwmbus" | "hex";

/** An rtl_wmbus line starts with its mode and `;` (`T1;1;1;2026-…;97;0;ID;0x…`). */
const RTL_WMBUS_LINE = /^[A-Z][A-Z0-9]?;/;

/** Looked at before deciding: the first line or this many bytes, whichever is first. */
const PEEK_LIMIT = 8192;

/**
 * Reads the stream up to its first non-empty line and names the format.
 *
 * @param stream The bytes (not read by anyone else).
 * @returns The format and a stream with every byte, the peeked ones included.
 */
export async function detectLineFormat(
  stream: ReadableStream<Uint8Array>,
): Promise<{ format: LineFormat; stream: ReadableStream<Uint8Array> }> {
  const reader = stream.getReader();
  const head: Uint8Array[] = [];
  let text = "";
  let ended = false;
  const decoder = new TextDecoder();
  while (text.trimStart().indexOf("\n") < 0 && text.length < PEEK_LIMIT) {
    const { done, value } = await reader.read();
    if (done) {
      ended = true;
      break;
    }
    head.push(value);
    text += decoder.decode(value, { stream: true });
  }
  const format = RTL_WMBUS_LINE.test(text.trimStart()) ? "rtlwmbus" : "hex";
  const rest = new ReadableStream<Uint8Array>({
    start(controller) {
      for (const chunk of head) controller.enqueue(chunk);
      if (ended) controller.close();
    },
    async pull(controller) {
      const { done, value } = await reader.read();
      if (done) controller.close();
      else controller.enqueue(value);
    },
    cancel(reason) {
      return reader.cancel(reason);
    },
  });
  return { format, stream: rest };
}
