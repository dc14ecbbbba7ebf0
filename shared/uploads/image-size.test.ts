// Tests for the header-only image dimension reader, on tiny real images built byte by byte.
import { describe, expect, it } from "vitest";
import { imageSize, sniffImageType } from "./image-size.ts";

const b64 = (s: string) => Uint8Array.from(atob(s), (c) => c.charCodeAt(0));

// Built with a 40-line script (zlib + CRC for PNG, 3-bit LZW for GIF, a DC-only baseline JPEG with 1-bit
// Huffman tables, a VP8L stream of single-symbol prefix codes); `file(1)` reports the same sizes.
const images = {
  png3x2:
    "iVBORw0KGgoAAAANSUhEUgAAAAMAAAACCAIAAAASFvFNAAAAEElEQVR4nGM4IScHQQxwFgBBAAYZPEVBlgAAAABJRU5ErkJggg==",
  gif5x3: "R0lGODlhBQADAIEAAAAAAP///wkJCVpaWiwAAAAABQADAAACCQQIECBAgAABogA7",
  jpeg17x9:
    "/9j/4AAQSkZJRgABAQAAAQABAAD/2wBDAAEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQ" +
    "EBAQEBAQEBAQH/wAALCAAJABEBAREA/8QAFAABAAAAAAAAAAAAAAAAAAAAAP/EABQQAQAAAAAAAAAAAAAAAAAAAAD/2gAIAQEAAD8AAA//2Q==",
  webpLossless7x4: "UklGRhgAAABXRUJQVlA4TAsAAAAvBsAAAIgi16P/AQA=",
  webpExtended300x2: "UklGRioAAABXRUJQVlA4WAoAAAAAAAAAKwEAAQAAVlA4TAsAAAAvK0EAAIgi16P/AQA=",
};

/** A lossy VP8 key frame header (frame tag, start code, 14-bit sizes with scale bits set), data truncated. */
function vp8Header(width: number, height: number): Uint8Array {
  const b = new Uint8Array(40);
  b.set(new TextEncoder().encode("RIFF"), 0);
  b.set(new TextEncoder().encode("WEBPVP8 "), 8);
  b.set([0x10, 0x02, 0x00, 0x9d, 0x01, 0x2a], 20);
  const w = width | 0x4000; // scale bits must be masked off
  const h = height | 0x8000;
  b.set([w & 0xff, w >> 8, h & 0xff, h >> 8], 26);
  return b;
}

describe("imageSize", () => {
  it("reads PNG, GIF, JPEG and WebP (lossless and extended)", () => {
    expect(imageSize(b64(images.png3x2))).toEqual({ type: "png", width: 3, height: 2 });
    expect(imageSize(b64(images.gif5x3))).toEqual({ type: "gif", width: 5, height: 3 });
    expect(imageSize(b64(images.jpeg17x9))).toEqual({ type: "jpeg", width: 17, height: 9 });
    expect(imageSize(b64(images.webpLossless7x4))).toEqual({ type: "webp", width: 7, height: 4 });
    expect(imageSize(b64(images.webpExtended300x2))).toEqual({ type: "webp", width: 300, height: 2 });
  });

  it("reads a lossy WebP (VP8) frame header and masks the scale bits", () => {
    expect(imageSize(vp8Header(640, 480))).toEqual({ type: "webp", width: 640, height: 480 });
  });

  it("skips JPEG segments (e.g. a large APP1/EXIF) before the frame header", () => {
    const jpeg = b64(images.jpeg17x9);
    const app1 = new Uint8Array(2 + 2 + 3000);
    app1.set([0xff, 0xe1, (3002 >> 8) & 0xff, 3002 & 0xff]);
    const withExif = new Uint8Array(jpeg.length + app1.length);
    withExif.set(jpeg.subarray(0, 2));
    withExif.set(app1, 2);
    withExif.set(jpeg.subarray(2), 2 + app1.length);
    expect(imageSize(withExif)).toEqual({ type: "jpeg", width: 17, height: 9 });
  });

  it("returns null for truncated headers, other formats and JPEGs without a frame header", () => {
    expect(imageSize(b64(images.png3x2).subarray(0, 20))).toBeNull();
    expect(imageSize(b64(images.jpeg17x9).subarray(0, 30))).toBeNull();
    expect(imageSize(new TextEncoder().encode("<svg xmlns='http://www.w3.org/2000/svg'/>"))).toBeNull();
    expect(imageSize(new Uint8Array([0xff, 0xd8, 0xff, 0xd9]))).toBeNull();
    expect(imageSize(new Uint8Array(0))).toBeNull();
  });

  it("rejects zero-sized images", () => {
    const png = b64(images.png3x2);
    png.set([0, 0, 0, 0], 16);
    expect(imageSize(png)).toBeNull();
  });
});

describe("sniffImageType", () => {
  it("goes by magic bytes, not by what the client claimed", () => {
    expect(sniffImageType(b64(images.gif5x3))).toBe("gif");
    expect(sniffImageType(new TextEncoder().encode("GIF88a"))).toBeNull();
    expect(sniffImageType(new TextEncoder().encode("RIFF0000WAVE"))).toBeNull();
  });
});
