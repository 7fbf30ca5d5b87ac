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
