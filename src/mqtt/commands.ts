/**
 * Commands over MQTT, when `mqtt.commands` is on: a JSON message on
 * `<prefix>/<cluster>/<instance>/command` reads a meter now, starts a scan or cancels one.
 * The answer goes to the MQTT 5 response topic, else the message's `replyTo`, else
 * `<prefix>/<cluster>/<instance>/command/reply`, with the correlation id (MQTT 5 correlation
 * data, else the message's `correlationId`). A scan is answered twice: its id at once, its
 * result when it ends. With commands off, every command is refused (code
 * `COMMANDS_DISABLED`) and logged.
 *
 * ```json
 * {"command":"read","meter":"5","correlationId":"42"}
 * {"command":"scan","scan":{"kind":"primary","from":1,"to":10},"correlationId":"43"}
 * {"command":"cancelScan","scanId":"s1","correlationId":"44"}
 * ```
 *
 * @module
 */
import { MbusError } from "../util/mod.ts";
import type {
  Gateway,
  GatewayEvent,
  GatewayHost,
  ScanParams,
} from "../gateway/mod.ts";
import type { MqttMessage } from "./connection.ts";
import type { Topics } from "./topics.ts";

/** Largest command payload accepted, bytes. */
export const MAX_COMMAND_BYTES = 65_536;

/** Options of {@link CommandHandler}. */
export interface CommandHandlerOptions {
  /** The instances. */
  host: GatewayHost;
  /** Topic builder. */
  topics: Topics;
  /** `mqtt.commands`. */
  enabled: boolean;
  /** Log line sink. */
  log: (line: string) => void;
  /** Sends a reply. */
  reply: (
    topic: string,
    payload: string,
    correlationData?: string,
  ) => Promise<void>;
}

interface Pending {
  replyTo: string;
  correlationId: string | undefined;
  viaProperty: boolean;
  instance: string;
}

function errorJson(e: unknown): { code: string; message: string } {
  return {
    code: e instanceof MbusError ? e.code : "INTERNAL",
    message: e instanceof Error ? e.message : String(e),
  };
}

/** Turns command messages into gateway calls and answers them. */
export class CommandHandler {
  readonly #o: CommandHandlerOptions;
  readonly #scans = new Map<string, Pending>();

  /** @param options Host, topics, switch, log, reply sender. */
  constructor(options: CommandHandlerOptions) {
    this.#o = options;
  }

  #instanceOf(topic: string): Gateway | undefined {
    return this.#o.host.instances.find((g) =>
      this.#o.topics.command(g.cluster, g.name) === topic
    );
  }

  /**
   * Handles one message on a command topic.
   *
   * @param m The message.
   */
  async handle(m: MqttMessage): Promise<void> {
    const gateway = this.#instanceOf(m.topic);
    if (!gateway) return;
    let body: Record<string, unknown> = {};
    let parseError: string | undefined;
    if (m.payload.length > MAX_COMMAND_BYTES) {
      parseError = `Command larger than ${MAX_COMMAND_BYTES} bytes`;
    } else {
      try {
        const v: unknown = JSON.parse(m.payload);
        if (v !== null && typeof v === "object" && !Array.isArray(v)) {
          body = v as Record<string, unknown>;
        } else parseError = "A command is a JSON object";
      } catch {
        parseError = "A command is a JSON object (the payload is not JSON)";
      }
    }
    const given =
      typeof body.replyTo === "string" && /^[^+#]+$/.test(body.replyTo)
        ? body.replyTo
        : undefined;
    const pending: Pending = {
      replyTo: m.responseTopic ?? given ??
        this.#o.topics.reply(gateway.cluster, gateway.name),
      correlationId: m.correlationData ??
        (typeof body.correlationId === "string"
          ? body.correlationId
          : undefined),
      viaProperty: m.correlationData !== undefined,
      instance: gateway.name,
    };
    const command = typeof body.command === "string" ? body.command : "";
    if (!this.#o.enabled) {
      this.#o.log(
        `mqtt: command "${command}" on ${m.topic} refused: commands are off (mqtt.commands)`,
      );
      return this.#answer(pending, command, {
        ok: false,
        error: {
          code: "COMMANDS_DISABLED",
          message:
            "Commands are off in this gateway's configuration (mqtt.commands)",
        },
      });
    }
    if (parseError !== undefined) {
      return this.#answer(pending, command, {
        ok: false,
        error: { code: "BAD_COMMAND", message: parseError },
      });
    }
    try {
      const result = await this.#run(gateway, command, body, pending);
      await this.#answer(pending, command, { ok: true, result });
    } catch (e) {
      await this.#answer(pending, command, { ok: false, error: errorJson(e) });
    }
  }

  async #run(
    gateway: Gateway,
    command: string,
    body: Record<string, unknown>,
    pending: Pending,
  ): Promise<unknown> {
    switch (command) {
      case "read": {
        if (typeof body.meter !== "string" && typeof body.meter !== "number") {
          throw new MbusError(
            "BAD_COMMAND",
            'read needs "meter" (a meter name)',
          );
        }
        return await gateway.read(String(body.meter));
      }
      case "scan": {
        const params = body.scan;
        if (
          params === null || typeof params !== "object" || Array.isArray(params)
        ) {
          throw new MbusError(
            "BAD_COMMAND",
            'scan needs "scan": {"kind": "primary" | "secondary" | …}',
          );
        }
        const job = gateway.startScan(params as ScanParams);
        this.#scans.set(job.id, pending);
        return { scanId: job.id, status: job.status };
      }
      case "cancelScan": {
        const id = typeof body.scanId === "string" ? body.scanId : "";
        const job = gateway.scan(id);
        if (!job) throw new MbusError("NOT_FOUND", `No scan "${id}"`);
        job.cancel();
        return { scanId: id, status: "cancelling" };
      }
      default:
        throw new MbusError(
          "BAD_COMMAND",
          `Unknown command "${command}"; expected read, scan or cancelScan`,
        );
    }
  }

  /**
   * Answers the end of a scan started by a command.
   *
   * @param e A gateway event.
   */
  onEvent(e: GatewayEvent): void {
    if (e.type !== "scanFinished") return;
    const pending = this.#scans.get(e.scanId);
    if (!pending || pending.instance !== e.instance) return;
    this.#scans.delete(e.scanId);
    void this.#answer(pending, "scan", {
      ok: e.status === "done",
      event: "finished",
      result: { scanId: e.scanId, status: e.status, found: e.result },
      ...(e.error ? { error: e.error } : {}),
    });
  }

  #answer(
    p: Pending,
    command: string,
    body: Record<string, unknown>,
  ): Promise<void> {
    const payload = JSON.stringify({
      correlationId: p.correlationId ?? null,
      instance: p.instance,
      command,
      ...body,
    });
    return this.#o.reply(
      p.replyTo,
      payload,
      p.viaProperty ? p.correlationId : undefined,
    ).catch(() => {});
  }
}
