import { Decoder, Encoder, PacketType } from "socket.io-parser";
import type { Packet } from "socket.io-parser";

/** What a recording parser reports: each event the server sent, and each reply with the request it answers. */
export interface ParserRecorder {
  event(name: unknown, payload: unknown): void;
  reply(request: string, payload: unknown): void;
}

const isEvent = (type: PacketType) => type === PacketType.EVENT || type === PacketType.BINARY_EVENT;
const isAck = (type: PacketType) => type === PacketType.ACK || type === PacketType.BINARY_ACK;

/**
 * A Socket.IO parser (socket.io-client's `parser` option) that is the stock one, and also
 * reports every event and every acknowledgement it decodes, before the client handles them:
 * the kit sees exactly what the server sent, whatever the SDK then makes of it.
 */
export function recordingParser(recorder: ParserRecorder): { Encoder: typeof Encoder; Decoder: typeof Decoder } {
  // Which request each acknowledgement id belongs to (ids are per connection manager, so per client).
  const requests = new Map<number, string>();
  class RecordingEncoder extends Encoder {
    override encode(packet: Packet): ReturnType<Encoder["encode"]> {
      if (isEvent(packet.type) && packet.id !== undefined) requests.set(packet.id, String((packet.data as unknown[])[0]));
      return super.encode(packet);
    }
  }
  class RecordingDecoder extends Decoder {
    constructor(...args: ConstructorParameters<typeof Decoder>) {
      super(...args);
      // Registered first, so it runs before the manager's own listener.
      this.on("decoded", (packet: Packet) => {
        if (isEvent(packet.type)) {
          const [event, payload] = (packet.data ?? []) as unknown[];
          recorder.event(event, payload);
        } else if (isAck(packet.type) && packet.id !== undefined) {
          const request = requests.get(packet.id);
          requests.delete(packet.id);
          if (request !== undefined) recorder.reply(request, (packet.data as unknown[] | undefined)?.[0]);
        }
      });
    }
  }
  return { Encoder: RecordingEncoder, Decoder: RecordingDecoder };
}
