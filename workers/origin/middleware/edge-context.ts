// Believes identity, flags and read-only state only when the edge signed them; else the request is anonymous.
import { createMiddleware } from "hono/factory";
import {
  createFlags,
  decodeFlags,
  type Exposure,
  exposedHeader,
  FLAGS_EXPOSED_HEADER,
} from "../../../shared/flags/index.ts";
import { recordExposures } from "../../../shared/flagstore/index.ts";
import { EDGE_CONTEXT_HEADER, type EdgeContext, verifyEdgeContext } from "../../../shared/trust/index.ts";
import type { OriginApp } from "../context.ts";

const ANONYMOUS: EdgeContext = {
  user: null,
  anonymousId: null,
  flags: "",
  flagsVersion: "none",
  readOnly: false,
};

export const edgeContext = createMiddleware<OriginApp>(async (c, next) => {
  const signed = await verifyEdgeContext(c.req.header(EDGE_CONTEXT_HEADER), c.get("config").edgeKeys);
  const edge = signed ?? ANONYMOUS;
  c.set("edge", edge);
  c.set("edgeSigned", signed !== null);
  const decoded = edge.flags ? decodeFlags(edge.flags) : null;
  // Same subject format as the edge's exposures (user id, else anonymous id), so the two dedupe in one table.
  const subject = edge.user ? String(edge.user.id) : (edge.anonymousId ?? "");
  const exposures: Exposure[] = [];
  c.set("exposures", exposures);
  c.set(
    "flags",
    createFlags(
      decoded?.flags ?? { version: edge.flagsVersion, results: [], index: new Map(), subject },
      (e) => exposures.push(e),
      subject,
    ),
  );
  await next();
  c.header("x-flags-version", edge.flagsVersion);
  // Which experiments this page showed: stored with a cached page, so the edge records exposures on hits too.
  if (exposures.length > 0) c.header(FLAGS_EXPOSED_HEADER, exposedHeader(exposures.map((e) => e.flag)));
  const subjectOf = (e: Exposure) => e.subject ?? subject;
  const rows = exposures.filter((e) => subjectOf(e)).map((e) => ({ ...e, subject: subjectOf(e) }));
  if (rows.length > 0) c.executionCtx.waitUntil(recordExposures(c.get("db").primary, rows));
});
