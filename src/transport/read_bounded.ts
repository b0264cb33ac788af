/**
 * Reads what the user names (a config, a scenario, a certificate, a frame file, stdin) up
 * to a limit: a device or a pipe (`/dev/zero`) reports size 0 to `stat` and would otherwise
 * be read until memory runs out.
 *
 * @module
 */

/**
 * Reads a whole stream, refusing anything over `limit` bytes (reading stops at the first
 * chunk past it). The stream is cancelled either way.
 *
 * @param stream The bytes.
 * @param limit Largest accepted size in bytes.
 * @returns The bytes.
 * @throws {RangeError} `larger than the limit of N bytes`; stream errors as they come.
 */
export async function readStreamBounded(
  stream: ReadableStream<Uint8Array>,
  limit: number,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = stream.getReader();
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) break;
      size += value.length;
      if (size > limit) {
        throw new RangeError(`larger than the limit of ${limit} bytes`);
      }
      chunks.push(value);
    }
  } finally {
    await reader.cancel().catch(() => {});
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return bytes;
}

/**
 * Reads a whole file as UTF-8, refusing anything over `limit` bytes.
 *
 * @param path The file.
 * @param limit Largest accepted size in bytes.
 * @returns The text.
 * @throws {RangeError} `larger than the limit of N bytes`; file errors as Deno throws them.
 */
export async function readTextBounded(
  path: string,
  limit: number,
): Promise<string> {
  const file = await Deno.open(path, { read: true });
  // The readable closes the file when it ends or is cancelled.
  return new TextDecoder().decode(
    await readStreamBounded(file.readable, limit),
  );
}
