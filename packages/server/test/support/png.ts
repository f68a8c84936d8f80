import { Buffer } from "node:buffer";
import { png as genuinePng } from "../../../protocol/test/support/images.js";

/**
 * A genuine 2 × 2 PNG that passes the server's framing check, with a tEXt chunk of `extra`
 * bytes of `mark`, so images can be told apart and sized.
 */
export function png(extra = 32, mark = 0xab): Buffer<ArrayBuffer> {
  const bytes = genuinePng({ comment: String.fromCharCode(mark).repeat(extra) });
  // Over an ArrayBuffer of its own, as the server API's body type wants.
  return Buffer.from(new Uint8Array(bytes));
}

/** The `mark` a {@link png} was made with. */
export function markOf(image: Uint8Array): number | undefined {
  // The tEXt chunk follows the signature (8) and IHDR (25): length, type, "Comment\0", then the marks.
  const at = 8 + 25 + 8 + "Comment\0".length;
  return image.length > at ? image[at] : undefined;
}
