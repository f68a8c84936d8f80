import { describe, expect, it } from "vitest";
import { ERROR_CODES, RoomkitError, isErrorCode } from "@roomkit/protocol";

describe("ERROR_CODES", () => {
  it("is the closed set, in documentation order", () => {
    expect(ERROR_CODES).toEqual([
      "UNAUTHENTICATED",
      "FORBIDDEN",
      "NOT_FOUND",
      "INVALID",
      "TOO_LARGE",
      "RATE_LIMITED",
      "CONFLICT",
      "UNAVAILABLE",
      "INTERNAL",
    ]);
  });
});

describe("isErrorCode", () => {
  it.each(ERROR_CODES)("accepts %s", (code) => {
    expect(isErrorCode(code)).toBe(true);
  });

  it.each(["forbidden", "FORBIDDEN ", "", "ERROR", "toString", 1, null, undefined, {}, ["INVALID"]])("refuses %j", (value) => {
    expect(isErrorCode(value)).toBe(false);
  });
});

describe("RoomkitError", () => {
  it("is an Error with a code and details", () => {
    const err = new RoomkitError("RATE_LIMITED", "slow down", { retryAfterMs: 250 });
    expect(err).toBeInstanceOf(Error);
    expect(err.name).toBe("RoomkitError");
    expect(err.message).toBe("slow down");
    expect(err.code).toBe("RATE_LIMITED");
    expect(err.details).toEqual({ retryAfterMs: 250 });
  });

  it("leaves details out of the wire form when there are none", () => {
    expect(new RoomkitError("FORBIDDEN", "no").toPayload()).toEqual({ code: "FORBIDDEN", message: "no" });
    expect(Object.keys(new RoomkitError("FORBIDDEN", "no").toPayload())).toEqual(["code", "message"]);
  });

  it.each(ERROR_CODES)("round-trips %s through its wire form, as JSON", (code) => {
    const err = new RoomkitError(code, `a ${code}`, { issues: [{ path: "text", message: "Required" }] });
    const back = RoomkitError.fromPayload(JSON.parse(JSON.stringify(err.toPayload())));
    expect(back).toBeInstanceOf(RoomkitError);
    expect(back.code).toBe(code);
    expect(back.message).toBe(`a ${code}`);
    expect(back.details).toEqual({ issues: [{ path: "text", message: "Required" }] });
    expect(back.toPayload()).toEqual(err.toPayload());
  });

  it.each([undefined, null, 0, 42, "FORBIDDEN", true, [], ["INVALID"], {}, { code: "NOPE", message: "x" }, { code: 4, message: 5 }])(
    "rebuilds garbage %j as an INTERNAL error",
    (garbage) => {
      const err = RoomkitError.fromPayload(garbage);
      expect(err).toBeInstanceOf(RoomkitError);
      expect(err.code).toBe("INTERNAL");
      expect(typeof err.message).toBe("string");
    },
  );

  it("keeps a good code when only the message or details are bad", () => {
    const err = RoomkitError.fromPayload({ code: "NOT_FOUND", message: 42, details: "nope" });
    expect(err.code).toBe("NOT_FOUND");
    expect(err.message).toBe("unknown error");
    expect(err.details).toBeUndefined();
  });
});
