// deno-lint-ignore-file no-console
/**
 * Run without `--allow-ffi` by serial_errors_test.ts: prints the code and message of the
 * error that opening a serial port gives.
 *
 * @module
 */
import { SerialTransport } from "../../src/transport/mod.ts";
import { TransportError } from "../../src/util/mod.ts";

try {
  await SerialTransport.open("/dev/ttyUSB0");
  console.log("opened");
} catch (e) {
  console.log(
    e instanceof TransportError ? `${e.code} ${e.message}` : String(e),
  );
}
