import { h } from "@roomkit/example-kit/ui";

// What the server decodes (DECODED_IMAGE_TYPES in ../../kit/src/images.ts); anything else is sent as a JPEG.
export const ACCEPTED = ["image/png", "image/jpeg", "image/gif"];
const MAX_IMAGE_BYTES = 500 * 1024;

/** The picked file as an attachment the server accepts: as it is, or scaled down to a JPEG. */
export async function fitImage(file: File): Promise<{ type: string; data: Blob; name: string }> {
  if (ACCEPTED.includes(file.type) && file.size <= MAX_IMAGE_BYTES) return { type: file.type, data: file, name: file.name };
  const bitmap = await createImageBitmap(file).catch(() => {
    throw new Error("That file is not an image this browser can read.");
  });
  const scale = Math.min(1, 1600 / Math.max(bitmap.width, bitmap.height));
  const canvas = h("canvas", { width: Math.round(bitmap.width * scale), height: Math.round(bitmap.height * scale) });
  canvas.getContext("2d")!.drawImage(bitmap, 0, 0, canvas.width, canvas.height);
  for (const quality of [0.85, 0.7, 0.5]) {
    const blob = await new Promise<Blob | null>((done) => canvas.toBlob(done, "image/jpeg", quality));
    if (blob && blob.size <= MAX_IMAGE_BYTES) return { type: "image/jpeg", data: blob, name: `${file.name.replace(/\.\w+$/, "")}.jpg` };
  }
  throw new Error("That image is too large to send, even scaled down.");
}
