/**
 * Reads a text file the user names (a config, a scenario, a certificate) up to a limit: a
 * device or a pipe (`/dev/zero`) reports size 0 to `stat` and would otherwise be read until
 * memory runs out.
 *
 * @module
 */

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
  using file = await Deno.open(path, { read: true });
  const chunks: Uint8Array[] = [];
  let size = 0;
  const buf = new Uint8Array(64 * 1024);
  for (;;) {
    const n = await file.read(buf);
    if (n === null) break;
    size += n;
    if (size > limit) {
      throw new RangeError(`larger than the limit of ${limit} bytes`);
    }
    chunks.push(buf.slice(0, n));
  }
  const bytes = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.length;
  }
  return new TextDecoder().decode(bytes);
}
