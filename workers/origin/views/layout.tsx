// The page shell every origin page renders into.
import type { Child } from "hono/jsx";
import { asset } from "../../../shared/assets/index.ts";
import { SITE } from "../../../shared/site/index.ts";

export function Layout(props: { title: string; children: Child; user?: { id: number } | null }) {
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>
          {props.title} · {SITE.title}
        </title>
        <link rel="stylesheet" href={asset("site.css")} />
        <script src={asset("site.js")} defer />
      </head>
      <body>
        <header class="site-header">
          <a href="/" class="brand">
            <img src={asset("logo.svg")} alt="" width="28" height="28" /> {SITE.title}
          </a>
          <search class="site-search">
            <form method="get" action="/search">
              <input
                name="q"
                type="search"
                placeholder="Search"
                aria-label="Search events and talks"
                data-suggest
              />
            </form>
          </search>
          <nav>{props.user ? <a href="/me">My account</a> : <a href="/login">Sign in</a>}</nav>
        </header>
        <main>{props.children}</main>
        <footer class="site-footer">{SITE.title}: edge cache, flags, replicas, queues.</footer>
      </body>
    </html>
  );
}
