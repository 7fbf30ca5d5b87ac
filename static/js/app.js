// Attune: progressive enhancement only. Every page works without this file.

// Ask before submitting a form whose submit button carries data-confirm.
document.addEventListener("submit", (event) => {
  const form = event.target;
  const button = event.submitter;
  const message = button
    ? button.dataset.confirm
    : form.querySelector("[data-confirm]")?.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
  }
});

// Move focus to the error summary so keyboard and screen-reader users land on it.
const summary = document.querySelector("[data-error-summary]");
if (summary) {
  summary.focus();
}

// The anonymization gate: keep "what is left" true while the checklist and the note are filled in.
// Without this file the server's summary (as of the last page load) still shows.
const gateForm = document.querySelector("[data-gate-form]");
if (gateForm) {
  const steps = document.querySelector("[data-gate-steps]");
  const left = gateForm.querySelector("[data-gate-left]");
  const ready = gateForm.querySelector("[data-gate-ready]");
  const openFindings = left ? left.querySelector("li:not([data-left])") : null;

  const setStep = (name, done, status, doneLabel) => {
    const step = steps?.querySelector(`[data-gate-step="${name}"]`);
    if (!step) return;
    step.classList.toggle("is-done", done);
    step.querySelector("[data-gate-status]").textContent = status;
    const badge = step.querySelector(".badge");
    if (badge) {
      badge.textContent = done ? doneLabel : "To do";
      badge.className = `badge badge--${done ? "success" : "warning"}`;
    }
  };

  const update = () => {
    const boxes = Array.from(gateForm.querySelectorAll('input[name="checklist"]'));
    const ticked = boxes.filter((box) => box.checked).length;
    const unticked = boxes.length - ticked;
    const note = gateForm.querySelector('[name="altered_note"]');
    const noted = Boolean(note && note.value.trim());
    setStep("checklist", unticked === 0, `${ticked} of ${boxes.length} ticked`, "Ticked");
    setStep("note", noted, noted ? "Written" : "A sentence or two", "Written");
    if (left) {
      left.querySelector('[data-left="checklist"]').hidden = unticked === 0;
      left.querySelector("[data-left-count]").textContent = String(unticked);
      left.querySelector('[data-left="note"]').hidden = noted;
      const findingsLeft = openFindings && !openFindings.hidden;
      const done = !findingsLeft && unticked === 0 && noted;
      left.hidden = done;
      if (ready) ready.hidden = !done;
    }
  };
  gateForm.addEventListener("change", update);
  gateForm.addEventListener("input", update);
}

// Answering a finding is a form of its own: send what is ticked and written in the checklist and
// the note along, so the server keeps them and the reloaded page still shows them.
document.addEventListener("submit", (event) => {
  const findingForm = event.target.closest(".finding-form");
  if (!findingForm || event.defaultPrevented || !gateForm) return;
  for (const old of findingForm.querySelectorAll("[data-gate-copy]")) old.remove();
  const copy = (name, value) => {
    const input = document.createElement("input");
    input.type = "hidden";
    input.name = name;
    input.value = value;
    input.dataset.gateCopy = "";
    findingForm.append(input);
  };
  for (const box of gateForm.querySelectorAll('input[name="checklist"]:checked')) {
    copy("checklist", box.value);
  }
  copy("altered_note", gateForm.querySelector('[name="altered_note"]')?.value || "");
});
