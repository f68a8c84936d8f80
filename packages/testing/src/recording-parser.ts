import { Decoder, Encoder, PacketType } from "socket.io-parser";
import type { Packet } from "socket.io-parser";

/**
 * A Socket.IO parser (socket.io-client's `parser` option) that is the stock one, and also hands
 * every event packet it decodes to `record`, before the client handles it: the kit sees exactly
 * what the server sent, whatever the SDK then makes of it.
 */
export function recordingParser(record: (event: unknown, payload: unknown) => void): { Encoder: typeof Encoder; Decoder: typeof Decoder } {
  class RecordingDecoder extends Decoder {
    constructor(...args: ConstructorParameters<typeof Decoder>) {
      super(...args);
      // Registered first, so it runs before the manager's own listener.
      this.on("decoded", (packet: Packet) => {
        if (packet.type !== PacketType.EVENT && packet.type !== PacketType.BINARY_EVENT) return;
        const [event, payload] = (packet.data ?? []) as unknown[];
        record(event, payload);
      });
    }
  }
  return { Encoder, Decoder: RecordingDecoder };
}
