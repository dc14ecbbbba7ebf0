// Progressive enhancement only: every form works without this file.
(() => {
  // Stop double submissions (a second POST would register twice).
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    for (const button of form.querySelectorAll("button[type=submit], button:not([type])")) {
      button.disabled = true;
    }
  });

  // A key per form view: the page may be a cached copy shared by many people, so the server cannot render one.
  // Sending the same key again (after a timeout, a reload, Back) saves the submission once.
  for (const input of document.querySelectorAll("form[data-idempotent] input[name=idempotencyKey]")) {
    if (!input.value) input.value = crypto.randomUUID();
  }

  // Upload forms: say how big the chosen file is, and refuse one over data-max-bytes before it is sent.
  for (const input of document.querySelectorAll("form[data-upload] input[type=file]")) {
    const note = document.createElement("span");
    note.className = "field-note";
    note.setAttribute("aria-live", "polite");
    input.after(note);
    input.addEventListener("change", () => {
      const file = input.files?.[0];
      const max = Number(input.form?.dataset.maxBytes ?? Number.POSITIVE_INFINITY);
      if (!file) {
        note.textContent = "";
        input.setCustomValidity("");
        return;
      }
      const size = `${(file.size / 1024 / 1024).toFixed(1)} MB`;
      const tooBig = file.size > max;
      note.textContent = tooBig ? `${file.name} is ${size}: too large.` : `${file.name}, ${size}`;
      note.classList.toggle("error", tooBig);
      input.setCustomValidity(tooBig ? "This file is too large." : "");
    });
  }

  // Search as you type: titles for what has been typed so far, from a cacheable JSON endpoint. Without this the
  // box is a plain GET form.
  let listCount = 0;
  for (const input of document.querySelectorAll("input[data-suggest]")) {
    const list = document.createElement("datalist");
    list.id = `suggest-${++listCount}`;
    input.setAttribute("list", list.id);
    input.setAttribute("autocomplete", "off");
    input.after(list);
    let timer = 0;
    let shown = "";
    input.addEventListener("input", () => {
      clearTimeout(timer);
      const q = input.value.trim();
      if (q.length < 2 || q === shown) return;
      timer = setTimeout(async () => {
        try {
          const res = await fetch(`/search/suggest?q=${encodeURIComponent(q.toLowerCase())}`);
          if (!res.ok) return;
          const { suggestions } = await res.json();
          shown = q;
          list.replaceChildren(
            ...suggestions.map((s) => Object.assign(document.createElement("option"), { value: s.title })),
          );
        } catch {}
      }, 150);
    });
  }

  // Direct upload: the origin presigns, the browser PUTs the bytes straight to R2 (never through our Workers),
  // then asks for processing and reloads once the photo is ready.
  for (const form of document.querySelectorAll("form[data-upload]")) {
    const status = form.querySelector("[data-upload-status]");
    const say = (text) => {
      if (status) status.textContent = text;
    };
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      const file = form.querySelector("input[type=file]")?.files?.[0];
      if (!file) return;
      const eventId = form.querySelector("input[name=eventId]")?.value || undefined;
      const enable = () => {
        for (const b of form.querySelectorAll("button")) b.disabled = false;
      };
      try {
        say("Preparing upload…");
        const presign = await fetch("/uploads", {
          method: "POST",
          headers: { "content-type": "application/json", accept: "application/json" },
          body: JSON.stringify({
            contentType: file.type,
            size: file.size,
            eventId: eventId && Number(eventId),
          }),
        });
        const grant = await presign.json();
        if (!presign.ok) throw new Error(grant.message || `upload refused (${presign.status})`);
        say("Uploading…");
        const put = await fetch(grant.url, { method: "PUT", headers: grant.headers, body: file });
        if (!put.ok) throw new Error(`storage refused the upload (${put.status})`);
        const done = await fetch(`/uploads/${grant.id}/complete`, {
          method: "POST",
          headers: { accept: "application/json" },
        });
        if (!done.ok) throw new Error((await done.json()).message || `could not finish (${done.status})`);
        say("Processing…");
        setTimeout(() => location.reload(), 1500);
      } catch (error) {
        say(error instanceof Error ? error.message : String(error));
        enable();
      }
    });
  }
})();
