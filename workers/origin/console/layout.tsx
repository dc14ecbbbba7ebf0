// The console's page shell: navigation, the operator's name, and what this page cost the database.
import type { Child } from "hono/jsx";
import { asset } from "../../../shared/assets/index.ts";
import type { PoolSummary } from "../../../shared/db/index.ts";
import { SITE } from "../../../shared/site/index.ts";
import type { Actor } from "./context.ts";

export const SECTIONS = [
  ["flags", "Flags"],
  ["readonly", "Read-only"],
  ["cache", "Cache"],
  ["jobs", "Jobs"],
  ["database", "Database"],
  ["experiments", "Experiments"],
  ["errors", "Errors"],
] as const;

export type Section = (typeof SECTIONS)[number][0];

export function ConsoleLayout(props: {
  title: string;
  section?: Section;
  actor?: Actor;
  readOnly?: boolean;
  queries?: PoolSummary[];
  grant?: string;
  children: Child;
}) {
  const trips = props.queries?.reduce((n, p) => n + p.roundTrips, 0) ?? 0;
  const ms = props.queries?.reduce((n, p) => n + p.ms, 0) ?? 0;
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex" />
        <title>
          {props.title} · {SITE.title} console
        </title>
        <link rel="stylesheet" href={asset("console.css")} />
        <script src={asset("console.js")} defer />
      </head>
      <body data-grant={props.grant}>
        <header class="console-header">
          <a href="/admin" class="console-brand">
            {SITE.title} console
          </a>
          {props.actor ? (
            <span class="console-who" title={`signed in through ${props.actor.via}`}>
              {props.actor.email}
            </span>
          ) : null}
          {props.actor ? (
            <nav class="console-nav" aria-label="Console sections">
              {SECTIONS.map(([id, label]) => (
                <a href={`/admin/${id}`} aria-current={props.section === id ? "page" : undefined}>
                  {label}
                </a>
              ))}
            </nav>
          ) : null}
        </header>
        {props.readOnly ? (
          <p class="console-alert" role="status">
            The site is read-only: changes stored in the database are refused until it is switched back.
          </p>
        ) : null}
        <main class="console-main">{props.children}</main>
        {props.queries ? (
          <footer class="console-footer">
            This page: {trips} database round {trips === 1 ? "trip" : "trips"} ({ms.toFixed(1)} ms)
            {props.queries.map((p) => ` · ${p.pool} ${p.roundTrips}`)}
          </footer>
        ) : null}
      </body>
    </html>
  );
}

/** A table that scrolls sideways on a narrow screen instead of widening the page. */
export function Wide(props: { children: Child }) {
  return <div class="wide">{props.children}</div>;
}

export function when(at: string | Date | null | undefined): string {
  if (!at) return "–";
  const d = typeof at === "string" ? new Date(at) : at;
  return Number.isNaN(d.getTime()) ? String(at) : `${d.toISOString().slice(0, 19).replace("T", " ")} UTC`;
}
