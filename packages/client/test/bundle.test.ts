import { build } from "esbuild";
import { describe, expect, it } from "vitest";
import { bundleOptions } from "../scripts/bundle.js";

describe("the browser bundle", () => {
  it("is one ESM file with socket.io-client and no server code", async () => {
    const result = await build({ ...bundleOptions, write: false, minify: false, sourcemap: false });
    const inputs = Object.keys(result.metafile.inputs);
    expect(inputs.some((path) => path.includes("node_modules/socket.io-client/"))).toBe(true);
    expect(inputs.some((path) => path.includes("node_modules/engine.io-client/"))).toBe(true);
    const server = inputs.filter(
      (path) => /packages\/server\/|node_modules\/(socket\.io|engine\.io|ws|zod|jose|debug)\//.test(path) || path.startsWith("node:"),
    );
    expect(server).toEqual([]);
    const [js] = Object.entries(result.metafile.outputs).filter(([name]) => name.endsWith(".js"));
    expect(js![1].imports).toEqual([]);
    expect(js![1].exports).toEqual(expect.arrayContaining(["createClient", "RoomkitError", "dmChannel", "failureOf"]));
  });
});
