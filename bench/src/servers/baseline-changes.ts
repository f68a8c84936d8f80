import type { Socket } from "socket.io";
import { isChatBody } from "../contract.js";
import type { ChangeableHistory, History } from "./baseline-history.js";

type Reply = (answer: object) => void;
const USER = /^[A-Za-z0-9_.@=+~-]{1,64}$/;
const refuse = (ack: Reply, code: string, message: string) => ack({ ok: false, error: { code, message } });
const isChangeable = (history: History): history is ChangeableHistory => "edit" in history;

/**
 * Edits and reactions on DMs, written by hand the way a careful app adds them to the baseline:
 * check the request, change the kept message in place, push the change to both users, ack. No
 * change log: a client that was offline sees the change only when it reloads the message.
 */
export function handleDmChanges(socket: Socket, me: string, history: History, dmKey: (a: string, b: string) => string): void {
  const target = (req: { to?: unknown; seq?: unknown } | undefined, ack: Reply) => {
    const { to, seq } = req ?? {};
    if (typeof to !== "string" || !USER.test(to) || to === me) return refuse(ack, "INVALID", "bad recipient");
    if (typeof seq !== "number" || !Number.isInteger(seq) || seq < 1) return refuse(ack, "INVALID", "bad seq");
    if (!isChangeable(history)) return refuse(ack, "UNSUPPORTED", "this history keeps no changes");
    return { to, seq, history };
  };

  socket.on("edit", (req: { to?: unknown; seq?: unknown; body?: unknown }, ack: Reply) => {
    if (typeof ack !== "function") return;
    const t = target(req, ack);
    if (!t) return;
    if (!isChatBody(req.body)) return refuse(ack, "INVALID", "bad body");
    const channel = dmKey(me, t.to);
    const outcome = t.history.edit(channel, t.seq, me, req.body);
    if (!outcome.ok) return refuse(ack, outcome.code, "cannot edit");
    const change = { type: "edit", channel, target: t.seq, by: me, body: req.body, at: outcome.message.editedAt };
    socket.to(`user:${t.to}`).to(`user:${me}`).emit("change", change);
    ack({ ok: true, change });
  });

  socket.on("react", (req: { to?: unknown; seq?: unknown; reaction?: unknown }, ack: Reply) => {
    if (typeof ack !== "function") return;
    const t = target(req, ack);
    if (!t) return;
    const { reaction } = req;
    if (typeof reaction !== "string" || reaction.length < 1 || reaction.length > 32) return refuse(ack, "INVALID", "bad reaction");
    const channel = dmKey(me, t.to);
    const count = t.history.react(channel, t.seq, me, reaction);
    if (count === undefined) return refuse(ack, "NOT_FOUND", "no such message");
    if (count === 0) return ack({ ok: true, changed: false });
    const change = { type: "react", channel, target: t.seq, by: me, reaction, count, at: Date.now() };
    socket.to(`user:${t.to}`).to(`user:${me}`).emit("change", change);
    ack({ ok: true, changed: true, change });
  });
}
