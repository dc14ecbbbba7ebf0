// The operations console at /admin: pages for people, behind Access or staff sign-in; the CLIs keep /_admin.
import { Hono } from "hono";
import { consoleAuth } from "./auth.tsx";
import { consoleCache } from "./cache.tsx";
import type { ConsoleApp } from "./context.ts";
import { consoleDatabase } from "./database.tsx";
import { consoleErrors } from "./errors.tsx";
import { consoleExperiments } from "./experiments.tsx";
import { consoleFlags } from "./flags.tsx";
import { consoleJobs } from "./jobs.tsx";
import { consoleReadOnly } from "./readonly.tsx";

// Cross-site posts are refused for the whole site by the origin's CSRF middleware (middleware/csrf.ts), these
// forms included.
export const consoleRoutes = new Hono<ConsoleApp>()
  .use("/admin", consoleAuth)
  .use("/admin/*", consoleAuth)
  .get("/admin", (c) => c.redirect("/admin/flags", 302))
  .route("/", consoleFlags)
  .route("/", consoleReadOnly)
  .route("/", consoleCache)
  .route("/", consoleJobs)
  .route("/", consoleDatabase)
  .route("/", consoleExperiments)
  .route("/", consoleErrors);
