/**
 * Text of a binary (integer-coded) record printed as characters, the way the reference
 * prints version, parameter-set and identification records that hold letters: most
 * significant byte first, `<XX>` for the bytes it escapes. Values that do not look like
 * text stay hex (the caller's choice).
 *
 * @module
 */

/** Bytes the reference still treats as text (escaped): LF, FF, 0x14–0x1F; and 0x20–0x7E. */
function textual(b: number): boolean {
  return b === 0x0a || b === 0x0c || (b >= 0x14 && b <= 0x7e);
}

/**
 * The characters of a binary record, or undefined when its bytes are not text: any byte
 * outside the text set (zeros only at the end), or nothing but zeros.
 *
 * @param data The record's data bytes (least significant first).
 * @returns The text, or undefined.
 * @example
 * ```ts
 * binaryText(Uint8Array.of(0x0c, 0x52)); // "R<0C>"
 * ```
 */
export function binaryText(data: Uint8Array): string | undefined {
  const msbFirst = [...data].reverse();
  let end = msbFirst.length;
  while (end > 0 && msbFirst[end - 1] === 0) end--;
  if (end === 0) return undefined;
  for (let i = 0; i < end; i++) {
    if (!textual(msbFirst[i] ?? 0)) return undefined;
  }
  let out = "";
  for (const b of msbFirst) {
    out += b >= 0x20 && b <= 0x7e && b !== 0x3c && b !== 0x3e
      ? String.fromCharCode(b)
      : `<${b.toString(16).toUpperCase().padStart(2, "0")}>`;
  }
  return out;
}
