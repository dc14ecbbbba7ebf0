// Direct uploads: the origin presigns a PUT to R2 (never proxies bytes), then a job processes the object.
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import * as z from "zod/mini";
import { uploads } from "../../../../shared/db/index.ts";
import { id, idNumber, parseParams } from "../../../../shared/http/index.ts";
import { metaKey, siteJobs } from "../../../../shared/jobs/examples/index.ts";
import { buildEnvelope, stageJob } from "../../../../shared/jobs/index.ts";
import {
  assertUploadRequest,
  parseUploadKey,
  presignUpload,
  serveLocalPut,
  UPLOAD_POLICY,
  uploadKey,
} from "../../../../shared/uploads/index.ts";
import type { OriginApp } from "../../context.ts";
import { relayAfterCommit } from "../../jobs.ts";
import { writeLimit } from "../../middleware/rate-limit.ts";

const eventId = z.optional(idNumber);
const uploadId = z.object({ id });
export const LOCAL_R2_PATH = "/_r2";

function s3(c: { get(k: "config"): import("../../../../shared/env").OriginConfig }) {
  const config = c.get("config");
  if (!config.R2_S3_ENDPOINT || !config.R2_ACCESS_KEY_ID || !config.R2_SECRET_ACCESS_KEY) {
    throw new HTTPException(503, { message: "Uploads are not configured on this site." });
  }
  return {
    endpoint: config.R2_S3_ENDPOINT,
    bucket: config.R2_BUCKET,
    accessKeyId: config.R2_ACCESS_KEY_ID,
    secretAccessKey: config.R2_SECRET_ACCESS_KEY,
  };
}

export const uploadRoutes = new Hono<OriginApp>()
  .post("/uploads", writeLimit, async (c) => {
    const user = c.get("edge").user;
    if (!user) throw new HTTPException(401, { message: "Sign in to upload." });
    const body = await c.req.json().catch(() => {
      throw new HTTPException(400, { message: "Send JSON: { contentType, size, eventId? }" });
    });
    const check = assertUploadRequest(body);
    const event = eventId.safeParse((body as { eventId?: unknown }).eventId);
    if (!event.success) throw new HTTPException(400, { message: "eventId must be a positive integer" });
    const key = uploadKey(user.id, check.contentType);
    const { results } = await c.get("db").write((p) => [
      p
        .insert(uploads)
        .values({ key, ownerId: user.id, eventId: event.data ?? null, contentType: check.contentType })
        .returning({ id: uploads.id }),
    ]);
    const id = results[0][0]?.id;
    const presigned = await presignUpload(s3(c), {
      key,
      contentType: check.contentType,
      size: check.size,
      expiresSeconds: UPLOAD_POLICY.expiresSeconds,
    });
    c.header("cache-control", "no-store");
    return c.json({ id, ...presigned }, 201);
  })
  .post("/uploads/:id/complete", async (c) => {
    const user = c.get("edge").user;
    if (!user) throw new HTTPException(401, { message: "Sign in to upload." });
    const { id } = parseParams(c, uploadId);
    // Someone else's upload id reads as missing: ownership is part of the lookup.
    const db = c.get("db");
    const row = await db.primary.query.uploads.findFirst({
      where: and(eq(uploads.id, id), eq(uploads.ownerId, user.id)),
    });
    if (!row) throw new HTTPException(404, { message: "No such upload." });
    // Staged through the outbox under an id fixed per upload: a repeated "complete" processes it once.
    const job = buildEnvelope(
      siteJobs,
      "process-upload",
      { key: row.key, uploadId: row.id },
      { id: `process-upload:${row.id}` },
    );
    const { token } = await db.write((p) => [p.execute(stageJob(job))]);
    relayAfterCommit(c, [job.id], token);
    return c.json({ id, status: "processing" }, 202);
  })
  .get("/media/*", async (c) => {
    const key = c.req.path.slice("/media/".length);
    // Only keys the site hands out (never a .meta.json, never a path of the client's making).
    if (!parseUploadKey(key)) throw new HTTPException(404, { message: "No such file." });
    // Only files the job has checked are public (it writes <key>.meta.json after the bytes passed): an
    // unprocessed or rejected upload must never be served, let alone cached "immutable" at the edge.
    const [object, checked] = await Promise.all([c.env.UPLOADS.get(key), c.env.UPLOADS.head(metaKey(key))]);
    if (!object || !checked) {
      await object?.body.cancel();
      throw new HTTPException(404, { message: "No such file." });
    }
    // Keys contain a random uuid and never change content: cache them hard at the edge and in browsers.
    return c.body(object.body, 200, {
      "content-type": object.httpMetadata?.contentType ?? "application/octet-stream",
      "cache-control": "public, max-age=86400, s-maxage=86400, immutable",
      "cache-tag": "media",
      etag: object.httpEtag,
    });
  })
  // Local stand-in for R2's S3 endpoint: the same presigned URLs, verified the same way, written to local R2.
  .put(`${LOCAL_R2_PATH}/*`, async (c) => {
    const config = c.get("config");
    if (config.ENVIRONMENT !== "local") throw new HTTPException(404, { message: "Not found" });
    return serveLocalPut(c.req.raw, {
      bucket: c.env.UPLOADS,
      bucketName: config.R2_BUCKET,
      accessKeyId: config.R2_ACCESS_KEY_ID,
      secretAccessKey: config.R2_SECRET_ACCESS_KEY,
      basePath: LOCAL_R2_PATH,
    });
  });
