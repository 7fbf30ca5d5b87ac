// Attune: autosave for the review form. Progressive enhancement: without this file the
// "Save draft" button keeps the reviewer's work the same way.
//
// A few seconds after typing stops, the form is sent as JSON to its data-autosave-url with the
// CSRF token in the X-CSRFToken header. Each save returns the review's new edit_version, which
// the next save (and the form's own submit) carries, so a save from another tab is answered
// with 409 and never silently overwritten.
//
// Fields named like the form's (criterion_<key>-evidence, ...). The annotations ticked as a
// criterion's evidence go as a list under criterion_<key>-annotations (absent: none ticked);
// any the server would not cite come back in "uncited" and are unticked here.

import { readJson } from "./http.js";

const SAVE_DELAY_MS = 2500;
const RETRY_DELAY_MS = 15000;

const form = document.querySelector("form[data-autosave-url]");
if (form) {
  enableNotVisible(form); // first: autosave then sends only the fields still in use
  enableProgress(form);
  enableDescriptorToggle(form);
  enableAutosave(form);
}

// "Not visible in this vignette" carries no evidence and no comment (the server refuses them):
// while it is chosen, the criterion's evidence, cited annotations and comment are disabled, so
// they are neither sent nor saved; the text stays in place and comes back with a level.
function enableNotVisible(form) {
  const update = (criterion) => {
    const notVisible = criterion.querySelector("input[type='radio'][value='n/o']");
    const off = Boolean(notVisible && notVisible.checked);
    const fields = criterion.querySelectorAll(
      "[name$='-evidence'], [name$='-comment'], input[name$='-annotations']",
    );
    for (const field of fields) {
      field.disabled = off;
    }
    const note = criterion.querySelector("[data-not-visible-note]");
    if (note) {
      note.hidden = !off;
    }
  };
  const criteria = form.querySelectorAll("[data-criterion]");
  for (const criterion of criteria) {
    update(criterion);
    criterion.addEventListener("change", (event) => {
      if (event.target.matches("input[type='radio']")) {
        update(criterion);
      }
    });
  }
}

// "N of M criteria left": the server counts at page load; this keeps it true while choosing.
function enableProgress(form) {
  const box = form.querySelector("[data-review-progress]");
  if (!box) {
    return;
  }
  const criteria = Array.from(form.querySelectorAll("[data-criterion]"));
  const update = () => {
    let left = 0;
    for (const criterion of criteria) {
      const chosen = Boolean(criterion.querySelector("input[type='radio']:checked"));
      const item = box.querySelector(`[data-left-item="${criterion.dataset.criterion}"]`);
      if (item) {
        item.hidden = chosen;
      }
      left += chosen ? 0 : 1;
    }
    box.querySelector("[data-left-count]").textContent = String(left);
    box.querySelector("[data-left-some]").hidden = left === 0;
    box.querySelector("[data-left-none]").hidden = left !== 0;
  };
  form.addEventListener("change", (event) => {
    if (event.target.matches("input[type='radio']")) {
      update();
    }
  });
  update();
}

// Once read, the level descriptors can be collapsed to the level names. The choice is the
// reviewer's, stored on the server (data-url), so it follows them to every browser; the page
// starts as they left it (data-collapsed). Without this file the descriptors always show.
function enableDescriptorToggle(form) {
  const button = form.querySelector("[data-descriptor-toggle]");
  const region = form.querySelector("[data-review-criteria]");
  const token = form.querySelector("input[name='csrf_token']");
  if (!button || !region) {
    return;
  }
  const show = (collapsed) => {
    region.classList.toggle("is-descriptors-collapsed", collapsed);
    button.setAttribute("aria-expanded", String(!collapsed));
    button.textContent = collapsed ? "Show the level descriptors" : "Hide the level descriptors";
  };
  const remember = async (collapsed) => {
    const body = new URLSearchParams({ collapsed: collapsed ? "1" : "0" });
    try {
      await fetch(button.dataset.url, {
        method: "POST",
        credentials: "same-origin",
        headers: { Accept: "application/json", "X-CSRFToken": token ? token.value : "" },
        body,
      });
    } catch {
      // not remembered this time; the page still shows what was chosen
    }
  };
  button.addEventListener("click", () => {
    const collapsed = !region.classList.contains("is-descriptors-collapsed");
    show(collapsed);
    remember(collapsed);
  });
  show(button.dataset.collapsed === "true");
  button.hidden = false;
}

function clock(iso) {
  const when = iso ? new Date(iso) : new Date();
  const time = Number.isNaN(when.getTime()) ? new Date() : when;
  const pad = (n) => String(n).padStart(2, "0");
  return `${pad(time.getHours())}:${pad(time.getMinutes())}`;
}

function enableAutosave(form) {
  const url = form.dataset.autosaveUrl;
  const status = form.querySelector("[data-autosave-status]");
  const version = form.querySelector("input[name='edit_version']");
  const token = form.querySelector("input[name='csrf_token']");
  let timer = null;
  let inFlight = null; // the save being sent: one at a time, each needs the previous version
  let dirty = false; // typed since the last successful save
  let stopped = false; // after a conflict or a lost session: never keep overwriting
  let leaving = false; // the form itself is being submitted

  const say = (text) => {
    if (status) {
      status.textContent = text;
    }
  };

  const schedule = (delay = SAVE_DELAY_MS) => {
    window.clearTimeout(timer);
    timer = window.setTimeout(save, delay);
  };

  const payload = () => {
    const data = {};
    for (const [name, value] of new FormData(form)) {
      if (name === "csrf_token" || typeof value !== "string") {
        continue;
      }
      if (name.endsWith("-annotations")) {
        data[name] = [...(data[name] || []), value];
      } else {
        data[name] = value;
      }
    }
    return data;
  };

  const untick = (ids) => {
    const refused = new Set((ids || []).map(String));
    for (const box of form.querySelectorAll("input[type='checkbox'][name$='-annotations']")) {
      if (refused.has(box.value)) {
        box.checked = false;
      }
    }
  };

  const stop = (text) => {
    stopped = true;
    window.clearTimeout(timer);
    say(text);
  };

  async function send(data) {
    let response;
    try {
      response = await fetch(url, {
        method: "POST",
        credentials: "same-origin",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-CSRFToken": token ? token.value : "",
        },
        body: JSON.stringify(data),
      });
    } catch {
      dirty = true;
      say("Not saved: the connection failed. Trying again shortly; your text stays here.");
      schedule(RETRY_DELAY_MS);
      return;
    }
    const body = await readJson(response);
    if (response.ok && body && body.ok) {
      version.value = String(body.edit_version);
      untick(body.uncited);
      const saved = `Saved ${clock(body.saved_at)}`;
      say(body.warning ? `${saved}. ${body.warning}` : saved);
      return;
    }
    dirty = true; // what was sent is not stored
    if (response.status === 409) {
      stop(`Not saved: ${body && body.error ? body.error : "this review was changed elsewhere."}`);
    } else if (body && body.error) {
      say(`Not saved: ${body.error}`); // e.g. a field too long: the next edit tries again
    } else if (response.status === 403 || response.status === 404) {
      stop("Not saved: this review can no longer be edited here (was it submitted in another tab?).");
    } else {
      stop("Not saved: your session may have ended. Copy your text somewhere safe, then reload.");
    }
  }

  async function save() {
    if (stopped || !dirty) {
      return;
    }
    if (inFlight) {
      schedule();
      return;
    }
    dirty = false;
    say("Saving…");
    inFlight = send(payload());
    try {
      await inFlight;
    } finally {
      inFlight = null;
    }
  }

  const changed = () => {
    dirty = true;
    if (!stopped) {
      schedule();
    }
  };
  form.addEventListener("input", changed);
  form.addEventListener("change", changed);

  // On window, so that app.js (on document) has already asked any confirmation first.
  window.addEventListener("submit", (event) => {
    if (event.target !== form || event.defaultPrevented) {
      return;
    }
    window.clearTimeout(timer);
    leaving = true;
    if (!inFlight) {
      return;
    }
    // Wait for the save in flight, so the form carries the edit_version it returns.
    event.preventDefault();
    const submitter = event.submitter;
    inFlight.finally(() => {
      if (submitter && submitter.name) {
        const pressed = document.createElement("input");
        pressed.type = "hidden";
        pressed.name = submitter.name;
        pressed.value = submitter.value;
        form.append(pressed);
      }
      form.submit();
    });
  });

  window.addEventListener("beforeunload", (event) => {
    if (dirty && !leaving) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  say("Your draft saves automatically a few seconds after you stop typing.");
}
