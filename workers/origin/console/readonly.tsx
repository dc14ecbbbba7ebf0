// Console read-only switch: what it is, since when and who flipped it; switched by the same code as the admin API.
import { Hono } from "hono";
import type { ReadOnlyState } from "../../../shared/readonly/index.ts";
import { readOnlyPutSchema, switchReadOnly } from "../../../shared/readonly/index.ts";
import { readOnlySwitch } from "../switches.ts";
import type { ConsoleApp } from "./context.ts";
import { when } from "./layout.tsx";
import { page } from "./page.tsx";

function ReadOnlyPage(props: { state: ReadOnlyState; problem?: string; done?: boolean }) {
  const s = props.state;
  return (
    <>
      <h1>Read-only mode</h1>
      {props.problem ? <p class="console-error">{props.problem}</p> : null}
      {props.done ? (
        <p class="console-ok" role="status">
          Switched. Every edge follows within a few seconds.
        </p>
      ) : null}
      <p class={s.on ? "console-alert" : ""} data-readonly={s.on ? "on" : "off"}>
        The site is <strong>{s.on ? "read-only" : "writable"}</strong>
        {s.since ? ` since ${when(s.since)}` : ""}
        {s.by ? `, switched by ${s.by}` : ""}.
      </p>
      {s.on ? (
        <p>
          Reason shown to visitors: “{s.reason}”. Writes get a 503 with{" "}
          <code>Retry-After: {s.retryAfter}</code>; jobs that write are held, not lost.
        </p>
      ) : null}
      <form method="post" action="/admin/readonly" class="stack">
        <input type="hidden" name="on" value={s.on ? "0" : "1"} />
        {s.on ? null : (
          <>
            <label>
              Reason (shown on every page){" "}
              <input name="reason" maxlength={500} placeholder="Database upgrade" />
            </label>
            <label>
              Retry-After (seconds){" "}
              <input name="retryAfter" type="number" min={1} max={86400} value={String(s.retryAfter)} />
            </label>
          </>
        )}
        <button type="submit">{s.on ? "Switch read-only off" : "Switch read-only on"}</button>
      </form>
    </>
  );
}

export const consoleReadOnly = new Hono<ConsoleApp>()
  .get("/admin/readonly", async (c) => {
    const state = await readOnlySwitch(c.get("config")).get();
    return page(
      c,
      { title: "Read-only", section: "readonly" },
      <ReadOnlyPage state={state} done={c.req.query("done") === "1"} />,
    );
  })
  .post("/admin/readonly", async (c) => {
    const body = await c.req.parseBody();
    const retry =
      typeof body.retryAfter === "string" && body.retryAfter.trim() !== ""
        ? Number(body.retryAfter)
        : undefined;
    const put = readOnlyPutSchema.safeParse({
      on: body.on === "1",
      ...(typeof body.reason === "string" && body.reason.trim() ? { reason: body.reason } : {}),
      ...(retry === undefined ? {} : { retryAfter: retry }),
    });
    const store = readOnlySwitch(c.get("config"));
    if (!put.success) {
      const problem = put.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
      return page(
        c,
        { title: "Read-only", section: "readonly" },
        <ReadOnlyPage state={await store.get()} problem={problem} />,
        400,
      );
    }
    await switchReadOnly(store, put.data, c.get("actor").email);
    return c.redirect("/admin/readonly?done=1", 303);
  });
