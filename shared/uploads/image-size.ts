// Image type and pixel dimensions from the first bytes of a PNG, JPEG, GIF or WebP file (no decoding).

export type ImageType = "png" | "jpeg" | "gif" | "webp";
export type ImageInfo = { type: ImageType; width: number; height: number };

export const IMAGE_MIME: Record<ImageType, string> = {
  png: "image/png",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

const ascii = (b: Uint8Array, at: number, s: string) => {
  for (let i = 0; i < s.length; i++) if (b[at + i] !== s.charCodeAt(i)) return false;
  return true;
};
const u8 = (b: Uint8Array, at: number) => b[at] ?? 0;
const be16 = (b: Uint8Array, at: number) => (u8(b, at) << 8) | u8(b, at + 1);
const le16 = (b: Uint8Array, at: number) => u8(b, at) | (u8(b, at + 1) << 8);
const le24 = (b: Uint8Array, at: number) => le16(b, at) | (u8(b, at + 2) << 16);
const be32 = (b: Uint8Array, at: number) =>
  ((u8(b, at) << 24) >>> 0) + (u8(b, at + 1) << 16) + be16(b, at + 2);

/** Which format the magic bytes say, whatever the declared content type. */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (ascii(b, 0, "\x89PNG\r\n\x1a\n")) return "png";
  if (u8(b, 0) === 0xff && u8(b, 1) === 0xd8 && u8(b, 2) === 0xff) return "jpeg";
  if (ascii(b, 0, "GIF87a") || ascii(b, 0, "GIF89a")) return "gif";
  if (ascii(b, 0, "RIFF") && ascii(b, 8, "WEBP")) return "webp";
  return null;
}

function png(b: Uint8Array) {
  // IHDR is always the first chunk: 8-byte signature, 4-byte length, "IHDR", then width and height.
  if (b.length < 24 || !ascii(b, 12, "IHDR")) return null;
  return { width: be32(b, 16), height: be32(b, 20) };
}

function gif(b: Uint8Array) {
  if (b.length < 10) return null;
  return { width: le16(b, 6), height: le16(b, 8) };
}

/** Start-of-frame markers carry the size: C0–CF except DHT (C4), JPG (C8) and DAC (CC). */
const isSof = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;

function jpeg(b: Uint8Array) {
  let i = 2;
  while (i + 3 < b.length) {
    if (u8(b, i) !== 0xff) return null;
    const marker = u8(b, i + 1);
    if (marker === 0xff) {
      i += 1; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      i += 2; // markers without a length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return null; // end of image or scan data before any frame header
    const length = be16(b, i + 2);
    if (length < 2) return null;
    if (isSof(marker)) {
      if (i + 9 > b.length) return null;
      return { width: be16(b, i + 7), height: be16(b, i + 5) };
    }
    i += 2 + length; // EXIF (APP1) can be tens of KB: skip whole segments
  }
  return null;
}

function webp(b: Uint8Array) {
  const chunk = 12;
  if (ascii(b, chunk, "VP8 ")) {
    // Lossy key frame: 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height.
    if (b.length < 30 || u8(b, 23) !== 0x9d || u8(b, 24) !== 0x01 || u8(b, 25) !== 0x2a) return null;
    return { width: le16(b, 26) & 0x3fff, height: le16(b, 28) & 0x3fff };
  }
  if (ascii(b, chunk, "VP8L")) {
    // Lossless: signature 0x2f, then width−1 and height−1 as 14-bit little-endian bit fields.
    if (b.length < 25 || u8(b, 20) !== 0x2f) return null;
    const b1 = u8(b, 21);
    const b2 = u8(b, 22);
    const b3 = u8(b, 23);
    const b4 = u8(b, 24);
    return {
      width: 1 + (b1 | ((b2 & 0x3f) << 8)),
      height: 1 + ((b2 >> 6) | (b3 << 2) | ((b4 & 0x0f) << 10)),
    };
  }
  if (ascii(b, chunk, "VP8X")) {
    // Extended: the canvas size, 24-bit width−1 and height−1, after 4 bytes of flags.
    if (b.length < 30) return null;
    return { width: 1 + le24(b, 24), height: 1 + le24(b, 27) };
  }
  return null;
}

const readers = { png, jpeg, gif, webp } as const;

/** Dimensions as stored (EXIF orientation is not applied); null if the bytes are not a readable image. */
export function imageSize(bytes: Uint8Array): ImageInfo | null {
  const type = sniffImageType(bytes);
  if (type === null) return null;
  const dims = readers[type](bytes);
  if (dims === null || dims.width === 0 || dims.height === 0) return null;
  return { type, ...dims };
}
