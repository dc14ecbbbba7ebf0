// Views of the console's flag pages: the list, and one flag (state, form, document, who sees it, history).
import { diffDocs, type FlagFields, fieldsOf, flagKind } from "../../../shared/console/index.ts";
import type { FlagDoc, FlagResult } from "../../../shared/flags/index.ts";
import { type AuditEntry, describeFlag, type FlagRow } from "../../../shared/flagstore/index.ts";
import { Wide, when } from "./layout.tsx";

export type WhoSees = {
  ask: { who: string; anon: string; country: string };
  error?: string;
  result?: FlagResult;
  version?: string;
  user?: { id: number; tags: string[] };
};

const REASONS: Record<string, string> = {
  STATIC: "the flag is on for everyone",
  TARGETING_MATCH: "a targeting rule matched (user, tag, tenant, country or another condition)",
  SPLIT: "the percentage rollout or the variant split put them here",
  DEFAULT: "no rule matched",
  DISABLED: "the flag is off for them (switched off, an exclusion matched, or a flag it requires is off)",
  ERROR: "the published snapshot has no such flag yet, or a rule could not be evaluated",
};

const href = (key: string) => `/admin/flags/${encodeURIComponent(key)}`;

export function FlagList(props: { rows: FlagRow[]; published: string | null; stored: string | null }) {
  return (
    <>
      <h1>Flags</h1>
      <p>
        Published snapshot <code>{props.published ?? "none"}</code>
        {props.published === props.stored
          ? " (in sync with the database)"
          : " (differs from the database: publish pending)"}
        . Changes reach every edge within seconds, no deploy.
      </p>
      <Wide>
        <table class="flags">
          <thead>
            <tr>
              <th>flag</th>
              <th>state</th>
              <th>kind</th>
              <th>rules</th>
              <th>last change</th>
            </tr>
          </thead>
          <tbody>
            {props.rows.map((r) => {
              const doc = r.doc as FlagDoc;
              return (
                <tr data-flag={r.key}>
                  <td>
                    <a href={href(r.key)}>{r.key}</a>
                    {doc.cacheKey ? (
                      <span
                        class="badge"
                        title="Its variant is part of the edge cache key: changing it changes cache keys"
                      >
                        cache key
                      </span>
                    ) : null}
                  </td>
                  <td class={`state state-${doc.state}`}>{doc.state}</td>
                  <td>{flagKind(doc)}</td>
                  <td>{describeFlag(doc) || "–"}</td>
                  <td>
                    {when(r.updatedAt)} by {r.updatedBy}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </Wide>
      <form method="post" action="/admin/flags" class="inline">
        <label>
          New flag <input name="key" required maxlength={200} placeholder="new-checkout" />
        </label>
        <button type="submit">Create (off)</button>
      </form>
    </>
  );
}

function Field(props: { name: keyof FlagFields; label: string; value: string; hint?: string }) {
  return (
    <label>
      {props.label}
      <input name={props.name} value={props.value} />
      {props.hint ? <small>{props.hint}</small> : null}
    </label>
  );
}

export function FlagPage(props: {
  flagKey: string;
  doc: FlagDoc | null;
  updatedAt: string | null;
  updatedBy: string | null;
  audit: AuditEntry[];
  who: WhoSees | null;
  problems: string[] | null;
  fields?: FlagFields | undefined;
  docText?: string | undefined;
  saved: string | null;
}) {
  const doc = props.doc ?? { state: "off" };
  const f = { ...fieldsOf(doc), ...(props.fields ?? {}) };
  const action = href(props.flagKey);
  return (
    <>
      <p>
        <a href="/admin/flags">← all flags</a>
      </p>
      <h1>{props.flagKey}</h1>
      {props.saved ? (
        <p class="console-ok" role="status">
          Saved ({props.saved}) and published.
        </p>
      ) : null}
      {props.problems ? (
        <ul class="console-error" role="alert">
          {props.problems.map((p) => (
            <li>{p}</li>
          ))}
        </ul>
      ) : null}
      <p>
        <span class={`state state-${doc.state}`} data-state={doc.state}>
          {doc.state}
        </span>{" "}
        {flagKind(doc)} · {describeFlag(doc) || "no rules"}
        {props.updatedAt ? ` · changed ${when(props.updatedAt)} by ${props.updatedBy}` : ""}
      </p>
      {doc.cacheKey ? (
        <p class="console-note">
          This flag is part of the edge cache key: each variant is cached separately, and changing its rules
          moves visitors between cached copies.
        </p>
      ) : null}
      <div class="buttons">
        {(["off", "selective", "on"] as const).map((state) => (
          <form method="post" action={`${action}/${state}`}>
            <button type="submit" disabled={doc.state === state} name="to" value={state}>
              {state === "off" ? "Switch off" : state === "on" ? "On for everyone" : "On by its rules"}
            </button>
          </form>
        ))}
      </div>

      <h2>Rules</h2>
      <form method="post" action={action} class="stack">
        <Field name="users" label="Users" value={f.users} hint="user ids, separated by commas" />
        <Field name="tags" label="Tags" value={f.tags} hint="e.g. staff, beta" />
        <Field name="tenants" label="Tenants" value={f.tenants} />
        <Field name="percentage" label="Percentage" value={f.percentage} hint="0–100; sticky per visitor" />
        <Field
          name="variants"
          label="Variants"
          value={f.variants}
          hint="name:weight, e.g. control:50, bold:50"
        />
        <Field name="description" label="Description" value={f.description} />
        <label class="check">
          <input type="checkbox" name="cacheKey" value="on" checked={f.cacheKey === "on"} /> Part of the edge
          cache key (pages vary by this flag)
        </label>
        <button type="submit">Save rules</button>
      </form>

      <details open={props.docText !== undefined}>
        <summary>Whole document (exclusions, constraints, segments, payloads)</summary>
        <form method="post" action={`${action}/document`} class="stack">
          <textarea name="document" rows={14} spellcheck={false}>
            {props.docText ?? JSON.stringify(doc, null, 2)}
          </textarea>
          <button type="submit">Save document</button>
        </form>
      </details>

      <h2>Who sees this</h2>
      <form method="get" action={action} class="stack">
        <label>
          User (email or id) <input name="who" value={props.who?.ask.who ?? ""} />
        </label>
        <label>
          Anonymous id <input name="anon" value={props.who?.ask.anon ?? ""} />
        </label>
        <label>
          Country <input name="country" value={props.who?.ask.country ?? ""} maxlength={2} />
        </label>
        <button type="submit" name="check" value="1">
          Evaluate
        </button>
      </form>
      {props.who ? <WhoResult who={props.who} /> : null}

      <h2>History</h2>
      <Wide>
        <table class="audit">
          <thead>
            <tr>
              <th>when</th>
              <th>who</th>
              <th>change</th>
            </tr>
          </thead>
          <tbody>
            {props.audit.map((a) => (
              <tr>
                <td>{when(a.at)}</td>
                <td>{a.actor}</td>
                <td>
                  {diffDocs(a.before, a.after).map((d) => (
                    <div class="diff">
                      <code>{d.path || "(document)"}</code> {d.before ?? "∅"} → {d.after ?? "∅"}
                    </div>
                  ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </Wide>
    </>
  );
}

function WhoResult(props: { who: WhoSees }) {
  const { who } = props;
  if (who.error) return <p class="console-error">{who.error}</p>;
  const r = who.result;
  if (!r) return null;
  return (
    <div class="who" data-who-variant={r.variant} data-who-reason={r.reason}>
      <p>
        <strong>{r.value ? "Sees it" : "Does not see it"}</strong>: variant <code>{r.variant}</code>, reason{" "}
        <code>{r.reason}</code> — {REASONS[r.reason] ?? ""}.
      </p>
      <p>
        {who.user ? `User ${who.user.id} (tags: ${who.user.tags.join(", ") || "none"}). ` : "Anonymous. "}
        Evaluated against the published snapshot <code>{who.version}</code>, as the edge would.
      </p>
    </div>
  );
}
