// Renders a console page in its shell, with the operator, the read-only state and this request's database cost.
import type { Context } from "hono";
import type { Child } from "hono/jsx";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import type { ConsoleApp } from "./context.ts";
import { ConsoleLayout, type Section } from "./layout.tsx";

export function page(
  c: Context<ConsoleApp>,
  opts: { title: string; section: Section; grant?: string },
  content: Child,
  status: ContentfulStatusCode = 200,
) {
  return c.html(
    <ConsoleLayout
      title={opts.title}
      section={opts.section}
      actor={c.get("actor")}
      readOnly={c.get("edge").readOnly}
      queries={c.get("queryLog").summary()}
      {...(opts.grant ? { grant: opts.grant } : {})}
    >
      {content}
    </ConsoleLayout>,
    status,
  );
}
