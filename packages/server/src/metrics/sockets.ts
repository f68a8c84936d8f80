import type { ByePush } from "@roomkit/protocol";
import type { Server, Socket } from "socket.io";
import { closeLabel, pushLabel, requestLabel } from "./labels.js";
import type { Tally } from "./tally.js";

/** The counts kept from each connection's traffic. */
export interface SocketTallies {
  opened: Tally;
  /** By Socket.IO disconnect reason. */
  disconnected: Tally;
  /** Requests received, by request name (`other` for any other event a client sends). */
  requests: Tally;
  /** Events written to this node's connections, by push name: one per recipient. */
  deliveries: Tally;
  /** Connections the server closed, by `rk:bye` reason (`shutdown`, `slow-consumer`). */
  byes: Tally;
}

/**
 * Counts every connection's events in and out with one listener each, shared by every socket
 * (`this` is the socket), so a connection costs no closure. Socket.IO calls the outgoing one for
 * broadcasts too, whichever node sent them.
 */
export function watchSockets(io: Server, tallies: SocketTallies): void {
  const incoming = (event: unknown) => tallies.requests.add(1, requestLabel(event));
  const outgoing = (event: unknown, push: unknown) => {
    tallies.deliveries.add(1, pushLabel(event));
    if (event === "rk:bye") tallies.byes.add(1, (push as ByePush).reason === "slow-consumer" ? "slow-consumer" : "shutdown");
  };
  const disconnected = (reason: unknown) => tallies.disconnected.add(1, closeLabel(reason));
  io.on("connection", (socket: Socket) => {
    tallies.opened.add(1);
    socket.onAny(incoming);
    socket.onAnyOutgoing(outgoing);
    socket.on("disconnect", disconnected);
  });
}
