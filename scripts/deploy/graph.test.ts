import { describe, expect, it } from "vitest";
import { deployOrder, type Node } from "./graph.ts";

const w = (role: string, ...binds: string[]): Node => ({
  role,
  name: `site-${role}`,
  services: binds.map((b) => ({ binding: b.toUpperCase(), service: `site-${b}` })),
});

const roles = (r: ReturnType<typeof deployOrder>) => (r.ok ? r.order.map((n) => n.role) : r.cycle);

describe("deployOrder", () => {
  it("puts every Worker after the Workers it binds to, whatever the config order", () => {
    // The project's graph: jobs → edge → origin.
    const nodes = [w("edge", "origin"), w("origin"), w("jobs", "edge")];
    expect(roles(deployOrder(nodes))).toEqual(["origin", "edge", "jobs"]);
    expect(roles(deployOrder([...nodes].reverse()))).toEqual(["origin", "edge", "jobs"]);
  });

  it("orders by Durable Object bindings to another Worker's class too", () => {
    // The switchboard: the origin hosts it, the edge and jobs bind to it by script name.
    const jobs = { ...w("jobs"), objects: [{ binding: "SWITCHBOARD", service: "site-origin" }] };
    const edge = { ...w("edge"), objects: [{ binding: "SWITCHBOARD", service: "site-origin" }] };
    expect(roles(deployOrder([jobs, edge, w("origin")]))).toEqual(["origin", "jobs", "edge"]);
  });

  it("keeps config order among independent Workers and ignores bindings to Workers outside the project", () => {
    const nodes = [w("b", "elsewhere"), w("a"), w("c", "a")];
    expect(roles(deployOrder(nodes))).toEqual(["b", "a", "c"]);
  });

  it("reports a cycle with the way out when a Worker in it does not exist yet", () => {
    const nodes = [w("edge", "origin"), w("origin", "jobs"), w("jobs", "edge")];
    const r = deployOrder(nodes, new Set(["site-edge", "site-origin"]));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.cycle).toEqual(["edge", "origin", "jobs", "edge"]);
    expect(r.message).toContain("edge → origin → jobs → edge");
    expect(r.message).toContain("deploy once without one binding");
  });

  it("deploys a cycle of Workers that all exist, with a warning", () => {
    const nodes = [w("edge", "origin"), w("origin", "edge"), w("jobs", "edge")];
    const r = deployOrder(nodes, new Set(nodes.map((n) => n.name)));
    expect(roles(r)).toEqual(["edge", "origin", "jobs"]);
    expect(r.ok && r.warnings[0]).toMatch(/cycle \(edge → origin → edge\)/);
  });
});
