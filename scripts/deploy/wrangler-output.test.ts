// The parsers against the real wrangler 4.155.0's output (the captured runs the fake is checked against).
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import {
  bucketNames,
  currentVersionId,
  deployment,
  deployTargets,
  errorTitle,
  isPendingMigration,
  isWorkerNotFound,
  kvNamespaces,
  queueNames,
  rollbackTarget,
  secretNames,
  totalUpload,
  uploadedVersionId,
  versionNumbers,
  whoami,
} from "./wrangler-output.ts";

const golden = (name: string, file = "stdout.txt") =>
  readFileSync(join(import.meta.dirname, "fake-wrangler/golden", name, file), "utf8");

describe("reading wrangler's output", () => {
  it("lists: KV namespaces, R2 buckets, queues, secret names, the login", () => {
    expect(kvNamespaces(golden("05-kv-namespace-list")).map((n) => n.title)).toEqual([
      "CONFIG",
      "staging-CONFIG",
    ]);
    expect(bucketNames(golden("10-r2-bucket-list"))).toEqual(["demo-assets", "demo-uploads"]);
    expect(queueNames(golden("17-queues-list"))).toEqual(["demo-jobs"]);
    expect(secretNames(golden("34-secret-list-json"))).toEqual(["ADMIN_TOKEN", "EDGE_SECRET"]);
    expect(whoami(golden("60-whoami-json"))).toEqual({
      loggedIn: true,
      accounts: [{ id: "acc123", name: "Example Account" }],
    });
    expect(whoami(golden("62-whoami-json-not-logged-in")).loggedIn).toBe(false);
  });

  it("deploy and version results: ids, targets, sizes, deployments, version order", () => {
    const deployed = golden("25-deploy-first-edge-workers-dev");
    expect(currentVersionId(deployed)).toMatch(/^[0-9a-f-]{36}$/);
    expect(deployTargets(deployed)).toEqual(["https://site-edge.example.workers.dev"]);
    expect(totalUpload(deployed)).toEqual({ rawKiB: 0.4, gzipKiB: 0.26 });
    expect(uploadedVersionId(golden("37-versions-upload"))).toBe("8ac03ce8-0057-4a14-a7ad-587531ea6af6");
    expect(deployment(golden("54-deployments-status-json"))?.versions).toEqual([
      { version_id: "cc2af5f6-5b19-4087-a9dd-1b595d4063be", percentage: 100 },
    ]);
    const numbers = versionNumbers(golden("50-versions-list-json"));
    expect(numbers.get("cc2af5f6-5b19-4087-a9dd-1b595d4063be")).toBeGreaterThan(
      numbers.get("8ac03ce8-0057-4a14-a7ad-587531ea6af6") ?? Number.POSITIVE_INFINITY,
    );
  });

  it("refusals worth a better message, and wrangler's error line without colours", () => {
    expect(isWorkerNotFound(golden("36-secret-list-worker-missing", "stderr.txt"))).toBe(true);
    const refused = golden("39-versions-upload-do-migration-pending-refused", "stderr.txt");
    expect(isPendingMigration(refused)).toBe(true);
    expect(errorTitle(refused)).toMatch(/^This Worker has a pending Durable Object migration/);
  });

  it("rolls back to the newest earlier version that is not serving now", () => {
    const d = (...v: [string, number][]) => ({
      versions: v.map(([version_id, percentage]) => ({ version_id, percentage })),
    });
    // Promoted b, then a canary c aborted back to b: the target is a, not b again.
    expect(rollbackTarget([d(["a", 100]), d(["b", 100]), d(["c", 10], ["b", 90]), d(["b", 100])])).toBe("a");
    expect(rollbackTarget([d(["a", 100])])).toBeNull();
  });
});
