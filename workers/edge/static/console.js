// The console's only script: the cache forms call the edge's admin API directly, with the page's short-lived grant
// (the requests must not come through Cloudflare Access, where Workers get no Cache API).
(() => {
  const grant = document.body.dataset.grant;
  const text = (tag, content, attrs = {}) => {
    const el = document.createElement(tag);
    el.textContent = content;
    for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
    return el;
  };

  function table(rows, columns) {
    const t = document.createElement("table");
    const head = t.createTHead().insertRow();
    for (const c of columns) head.append(text("th", c));
    const body = t.createTBody();
    for (const r of rows) {
      const tr = body.insertRow();
      for (const c of columns) tr.append(text("td", Array.isArray(r[c]) ? r[c].join(", ") : String(r[c])));
    }
    const wrap = document.createElement("div");
    wrap.className = "wide";
    wrap.append(t);
    return wrap;
  }

  const COLUMNS = ["key", "status", "freshness", "age", "ttlLeft", "ttl", "grace", "keep", "tags", "hot"];

  function showInspect(out, data) {
    out.replaceChildren(text("p", `Page: ${data.base}`));
    if (data.entries.length === 0)
      out.append(text("p", "Not stored: the next anonymous request is a miss.", { "data-stored": "no" }));
    else
      out.append(
        text("p", `${data.entries.length} stored.`, { "data-stored": "yes" }),
        table(data.entries, COLUMNS),
      );
    if (data.keepCopies.length > 0) {
      out.append(
        text("p", "Kept copies (served only if the origin fails):"),
        table(data.keepCopies, COLUMNS),
      );
    }
    if (!data.variantsListed)
      out.append(text("p", "Flag variants of this page are not listed here: only the plain URL's entry."));
  }

  async function send(form) {
    const kind = form.dataset.edge;
    const out = document.querySelector(`output[data-result="${kind}"]`);
    const fields = new FormData(form);
    const headers = { authorization: `Bearer ${grant}`, accept: "application/json" };
    let res;
    if (kind === "inspect") {
      res = await fetch(`/_admin/cache?url=${encodeURIComponent(fields.get("url"))}`, { headers });
    } else {
      const list = (name, sep) =>
        String(fields.get(name) || "")
          .split(sep)
          .map((s) => s.trim())
          .filter(Boolean);
      const body = { urls: list("urls", /\n/), tags: list("tags", /,/), hard: fields.get("hard") === "1" };
      res = await fetch("/_admin/purge", {
        method: "POST",
        headers: { ...headers, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    }
    const data = await res.json().catch(() => ({}));
    if (res.status === 401)
      return out.replaceChildren(
        text("p", "Your grant expired: reload the page.", { class: "console-error" }),
      );
    if (!res.ok)
      return out.replaceChildren(
        text("p", data.message || `The edge answered ${res.status}.`, { class: "console-error" }),
      );
    if (kind === "inspect") return showInspect(out, data);
    const n = (data.urls?.items ?? 0) + (data.tags?.items ?? 0);
    out.replaceChildren(
      text(
        "p",
        `Purged (${n} ${n === 1 ? "entry" : "entries"}). The next request for those pages goes to the origin.`,
        {
          class: "console-ok",
          "data-purged": String(n),
        },
      ),
    );
  }

  for (const form of document.querySelectorAll("form[data-edge]")) {
    form.addEventListener("submit", (e) => {
      e.preventDefault();
      send(form).catch((err) => {
        document
          .querySelector(`output[data-result="${form.dataset.edge}"]`)
          ?.replaceChildren(text("p", String(err), { class: "console-error" }));
      });
    });
  }
})();
