/**
 * Reads a file or stdin with a size limit: reading stops at `limit + 1` bytes, so
 * `/dev/zero`, a huge log or an endless pipe costs a few kilobytes, never gigabytes.
 *
 * @module
 */
import { readStreamBounded } from "../transport/mod.ts";
import { UsageError } from "./_command.ts";

/** Largest input `mbusgw decode` reads: a frame is at most 261 bytes (783 as spaced hex). */
export const MAX_DECODE_INPUT_BYTES = 64 * 1024;

function firstLine(e: unknown): string {
  return e instanceof Error ? (e.message.split("\n")[0] ?? "") : String(e);
}

async function readUpTo(
  stream: ReadableStream<Uint8Array>,
  limit: number,
  name: string,
): Promise<Uint8Array> {
  try {
    return await readStreamBounded(stream, limit);
  } catch (e) {
    if (!(e instanceof RangeError)) throw e;
    throw new UsageError(
      `Cannot read ${name}: larger than ${limit} bytes (the input limit)`,
    );
  }
}

/**
 * Reads a whole file, or stdin for `-`, refusing anything over `limit` bytes.
 *
 * @param path A file path, or `-` for stdin.
 * @param limit Largest accepted size in bytes.
 * @returns The bytes.
 * @throws {UsageError} When the input cannot be read or is larger than `limit` (exit 2).
 */
export async function readBoundedInput(
  path: string,
  limit: number,
): Promise<Uint8Array> {
  if (path === "-") return await readUpTo(Deno.stdin.readable, limit, "stdin");
  let file: Deno.FsFile;
  try {
    file = await Deno.open(path, { read: true });
  } catch (e) {
    throw new UsageError(`Cannot read "${path}": ${firstLine(e)}`);
  }
  try {
    return await readUpTo(file.readable, limit, `"${path}"`);
  } catch (e) {
    if (e instanceof UsageError) throw e;
    throw new UsageError(`Cannot read "${path}": ${firstLine(e)}`);
  } finally {
    try {
      file.close();
    } catch {
      // The readable stream closes the file when it ends.
    }
  }
}
