// The edge's snapshot view: compiled once per version, code defaults before anything is published, and the last
// good snapshot kept when a published one cannot be used.
import { describe, expect, it } from "vitest";
import { createSnapshot, evaluate } from "../flags/index.ts";
import { createSnapshotView, EMPTY_VERSION, type FlagsSource, type PublishedFlags } from "./edge-snapshot.ts";

const ctx = { now: 0 };

async function published(state: "on" | "off"): Promise<PublishedFlags> {
  const snapshot = await createSnapshot({ checkout: { state } });
  return { version: snapshot.version, text: JSON.stringify(snapshot) };
}

function source(initial: PublishedFlags | undefined) {
  const s = { value: initial, reads: 0 };
  const src: FlagsSource = {
    get: async () => {
      s.reads++;
      return s.value ?? null;
    },
    peek: () => s.value,
  };
  return { s, src };
}

describe("createSnapshotView", () => {
  it("compiles once per version and follows a new one", async () => {
    const { s, src } = source(await published("on"));
    const view = createSnapshotView(src);
    const first = await view.get();
    expect(evaluate(first.compiled, "checkout", ctx).value).toBe(true);
    expect(view.peek()).toBe(first);
    s.value = { ...(s.value as NonNullable<PublishedFlags>), text: ` ${s.value?.text}` };
    expect((await view.get()).compiled).toBe(first.compiled);
    s.value = await published("off");
    const second = await view.get();
    expect(second.version).not.toBe(first.version);
    expect(evaluate(second.compiled, "checkout", ctx).value).toBe(false);
  });

  it("starts empty (code defaults apply) before anything is published; peek says when nothing is loaded", async () => {
    const { src } = source(undefined);
    const view = createSnapshotView(src, { compileOptions: { defaults: { "new-nav": true } } });
    expect(view.peek()).toBeUndefined();
    const snap = await view.get();
    expect(snap.version).toBe(EMPTY_VERSION);
    expect(evaluate(snap.compiled, "new-nav", ctx)).toMatchObject({ value: true, reason: "DEFAULT" });
  });

  it("keeps the last good snapshot when a published one is not JSON or not the version it claims", async () => {
    const { s, src } = source(await published("on"));
    const errors: unknown[] = [];
    const view = createSnapshotView(src, { onError: (e) => errors.push(e) });
    const good = await view.get();
    s.value = { version: "bad1", text: "{not json" };
    expect(await view.get()).toBe(good);
    expect(await view.get()).toBe(good);
    s.value = { version: "bad2", text: JSON.stringify({ version: "other", flags: {} }) };
    expect(await view.get()).toBe(good);
    // Reported once per bad version, not on every request.
    expect(errors).toHaveLength(2);
  });
});
