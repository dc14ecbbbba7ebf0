// The example site's pages and APIs (events, talks, search, photo uploads): the part of the origin a fork replaces.
import { Hono } from "hono";
import type { OriginApp } from "../../context.ts";
import { eventRoutes } from "./events.tsx";
import { searchRoutes } from "./search.tsx";
import { talkRoutes } from "./talks.tsx";
import { uploadRoutes } from "./uploads.ts";

export const exampleRoutes = new Hono<OriginApp>()
  .route("/", eventRoutes)
  .route("/", talkRoutes)
  .route("/", searchRoutes)
  .route("/", uploadRoutes);
