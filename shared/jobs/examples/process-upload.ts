// Example job: check an uploaded image in R2, record its size and dimensions, and store <key>.meta.json beside it.
import { IMAGE_MIME, imageSize, typeForKey, UPLOAD_POLICY } from "../../uploads/index.ts";
import { defineJob, type JobContext } from "../registry.ts";
import { processUploadSpec } from "./specs.ts";

/** The slice of an R2 binding this job uses (an R2Bucket fits). */
export type UploadBucket = {
  get(
    key: string,
  ): Promise<{ size: number; body: ReadableStream; arrayBuffer(): Promise<ArrayBuffer> } | null>;
  put(key: string, value: string, options?: R2PutOptions): Promise<unknown>;
  delete(keys: string | string[]): Promise<void>;
};

export type UploadRows = {
  /** false when no row has this id and key */
  markReady(
    uploadId: number,
    key: string,
    info: { width: number; height: number; size: number },
  ): Promise<boolean>;
  markRejected(uploadId: number, key: string, reason: string): Promise<boolean>;
};

export type ProcessUploadServices = {
  uploadsBucket: UploadBucket;
  uploadRows: UploadRows;
  maxUploadBytes?: number;
};

export const metaKey = (key: string) => `${key}.meta.json`;

export const processUpload = defineJob({
  ...processUploadSpec,
  handler: async ({ key, uploadId }, ctx: JobContext<ProcessUploadServices>) => {
    const { uploadsBucket: bucket, uploadRows: rows } = ctx.services;
    const maxBytes = ctx.services.maxUploadBytes ?? UPLOAD_POLICY.maxBytes;
    const object = await bucket.get(key);
    if (object === null) throw new Error(`object ${key} is not uploaded yet`);

    const reject = async (reason: string) => {
      // Second line of defence behind the signed content-length: nothing oversize or mislabelled stays stored.
      await bucket.delete(key);
      if (!(await rows.markRejected(uploadId, key, reason)))
        throw new Error(`no upload row ${uploadId} for ${key}`);
    };
    if (object.size > maxBytes) {
      await object.body.cancel();
      return reject(`too large: ${object.size} bytes > ${maxBytes}`);
    }
    const info = imageSize(new Uint8Array(await object.arrayBuffer()));
    const expected = typeForKey(key);
    if (info === null || IMAGE_MIME[info.type] !== expected) {
      return reject(`not a readable ${expected ?? "image"} file`);
    }
    const meta = {
      key,
      uploadId,
      contentType: expected,
      width: info.width,
      height: info.height,
      size: object.size,
    };
    await bucket.put(metaKey(key), JSON.stringify(meta), {
      httpMetadata: { contentType: "application/json" },
    });
    const found = await rows.markReady(uploadId, key, {
      width: info.width,
      height: info.height,
      size: object.size,
    });
    if (!found) throw new Error(`no upload row ${uploadId} for ${key}`);
  },
});
