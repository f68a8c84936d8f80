import protocol = require("@roomkit/protocol");

/** The app's contract, shared by its server and its clients. */
const contract = protocol.defineContract({
  user: protocol.type<{ name: string }>(),
  channels: {
    dm: { kind: "dm", body: protocol.type<{ text: string }>() },
  },
});

export = { contract };
