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
})();
