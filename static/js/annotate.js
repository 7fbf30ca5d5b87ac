// Attune: inline annotations on the case page. Progressive enhancement: without this file the
// annotations are still listed beside the text, each with its quote, and every form works.
//
// What this adds:
// - highlights: each annotation in the list carries its section and character offsets for the
//   revision shown; the passage is wrapped in <mark> elements (the first one gets id "ann-<id>");
// - jumping: a highlight leads to its list entry and the entry's link to its highlight, moving
//   focus as well as scrolling;
// - creating: select text in one section (mouse, finger, Shift+arrows with caret browsing, or the
//   "Select passage with the keyboard" mode), then press Alt+A or "Annotate selection"; the form
//   opens beside the passage and is sent as JSON with the CSRF token in the X-CSRFToken header.
//
// Offsets count characters (Unicode code points, as Python does) of the section container's
// textContent, which is exactly what the server computes from the same HTML. Highlights and
// forms never change that text: marks only wrap existing text nodes, and everything else is
// inserted outside the containers. User text only ever enters the page through textContent.

import { readJson } from "./http.js";

const SECTION_SELECTOR = "[data-section][data-revision]"; // the case text, not the list
const HIGHLIGHT_CLASS = "annotation-highlight";
const PENDING_CLASS = "annotation-highlight--pending";
const ACTIVE_CLASS = "is-active";
const QUOTE_MAX = 2000; // supervision.models.annotation.QUOTE_MAX
// A <mark> directly inside these would break the layout (tables) or the markup (lists); the
// whitespace-only text nodes between their children carry nothing worth highlighting.
const NO_MARK_PARENTS = new Set(["TABLE", "THEAD", "TBODY", "TFOOT", "TR", "UL", "OL"]);

let panel = document.querySelector("[data-annotations]");
const containers = Array.from(document.querySelectorAll(SECTION_SELECTOR));

// --- text offsets -------------------------------------------------------------------------

function codePoints(text) {
  let count = 0;
  for (const _ of text) {
    count += 1;
  }
  return count;
}

// The index in UTF-16 code units (what DOM methods take) of the code point at `count`.
function unitIndex(text, count) {
  let units = 0;
  let seen = 0;
  for (const character of text) {
    if (seen === count) {
      break;
    }
    units += character.length;
    seen += 1;
  }
  return units;
}

function textNodes(container) {
  const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    nodes.push(node);
  }
  return nodes;
}

// The offset, in the container's text, of a DOM boundary point (node, offset) inside it. The
// point may be in a text node or between an element's children.
function offsetOf(container, node, offset) {
  const before = document.createRange();
  before.setStart(container, 0);
  before.setEnd(node, offset);
  let total = 0;
  for (const text of textNodes(container)) {
    if (text === node) {
      return total + codePoints(text.data.slice(0, offset));
    }
    if (!before.intersectsNode(text)) {
      break; // this text node, and every later one, lies after the point
    }
    total += codePoints(text.data);
  }
  return total;
}

// The DOM range covering characters [start, end) of the container's text.
function rangeFor(container, start, end) {
  const range = document.createRange();
  let position = 0;
  let startSet = false;
  for (const text of textNodes(container)) {
    const length = codePoints(text.data);
    if (!startSet && start <= position + length) {
      range.setStart(text, unitIndex(text.data, start - position));
      startSet = true;
    }
    if (startSet && end <= position + length) {
      range.setEnd(text, unitIndex(text.data, end - position));
      return range;
    }
    position += length;
  }
  return null;
}

// --- reading the selection ----------------------------------------------------------------

function isBlank(character) {
  return /\s/u.test(character);
}

// What a range selects, as the server wants it: one section, offsets and the exact text.
// Returns null when nothing is selected in the case text, or { error } when it cannot be used.
function describeRange(range) {
  const found = [];
  for (const container of containers) {
    if (!range.intersectsNode(container)) {
      continue;
    }
    const characters = Array.from(container.textContent);
    // A range that starts or ends outside the container (a triple click, a drag past the
    // section) is clipped to it.
    let start = container.contains(range.startContainer)
      ? offsetOf(container, range.startContainer, range.startOffset)
      : 0;
    let end = container.contains(range.endContainer)
      ? offsetOf(container, range.endContainer, range.endOffset)
      : characters.length;
    // A double click or a drag often takes a space or a line break along: leave them out.
    while (start < end && isBlank(characters[start])) {
      start += 1;
    }
    while (end > start && isBlank(characters[end - 1])) {
      end -= 1;
    }
    if (start < end) {
      found.push({
        container,
        section: container.dataset.section,
        revision: Number(container.dataset.revision),
        start,
        end,
        exact: characters.slice(start, end).join(""),
      });
    }
  }
  if (found.length === 0) {
    return null;
  }
  if (found.length > 1) {
    return { error: "Select text inside one section: an annotation belongs to one passage." };
  }
  if (found[0].end - found[0].start > QUOTE_MAX) {
    return { error: `Select at most ${QUOTE_MAX.toLocaleString("en")} characters.` };
  }
  return found[0];
}

function currentSelection() {
  const selection = document.getSelection();
  if (!selection || selection.rangeCount === 0 || selection.isCollapsed) {
    return null;
  }
  return describeRange(selection.getRangeAt(0));
}

// --- highlights ---------------------------------------------------------------------------

// Wrap characters [start, end) of the container in <mark> elements, splitting text nodes at
// the edges; a passage across several elements (emphasis, paragraphs) gets one mark per piece.
function wrap(container, start, end, makeMark) {
  const marks = [];
  let position = 0;
  for (const text of textNodes(container)) {
    const length = codePoints(text.data);
    const from = Math.max(start, position);
    const to = Math.min(end, position + length);
    const nodeStart = position;
    position += length;
    if (from >= to) {
      if (position >= end) {
        break;
      }
      continue;
    }
    if (NO_MARK_PARENTS.has(text.parentNode.nodeName) && !text.data.trim()) {
      continue;
    }
    let piece = text;
    const cutEnd = unitIndex(piece.data, to - nodeStart);
    if (cutEnd < piece.data.length) {
      piece.splitText(cutEnd);
    }
    const cutStart = unitIndex(piece.data, from - nodeStart);
    if (cutStart > 0) {
      piece = piece.splitText(cutStart);
    }
    const mark = makeMark();
    piece.parentNode.insertBefore(mark, piece);
    mark.append(piece);
    marks.push(mark);
  }
  return marks;
}

function unwrap(marks) {
  const parents = new Set();
  for (const mark of marks) {
    if (mark.parentNode) {
      parents.add(mark.parentNode);
      mark.replaceWith(...mark.childNodes);
    }
  }
  for (const parent of parents) {
    parent.normalize(); // merge the split text nodes back
  }
}

function containerFor(section) {
  return containers.find((c) => c.dataset.section === section) || null;
}

// Highlight every listed annotation that has a place in this revision and no marks yet.
function applyHighlights() {
  for (const entry of panel.querySelectorAll("[data-annotation-id][data-anchor-section]")) {
    const id = entry.dataset.annotationId;
    if (document.getElementById(`ann-${id}`)) {
      continue; // already highlighted
    }
    const container = containerFor(entry.dataset.anchorSection);
    const start = Number(entry.dataset.anchorStart);
    const end = Number(entry.dataset.anchorEnd);
    if (!container || !(start < end)) {
      continue;
    }
    // Never highlight the wrong words: the text must read exactly as the server says.
    const text = Array.from(container.textContent).slice(start, end).join("");
    if (text !== entry.dataset.anchorExact) {
      continue;
    }
    const marks = wrap(container, start, end, () => {
      const mark = document.createElement("mark");
      mark.className = HIGHLIGHT_CLASS;
      mark.dataset.annotationId = id;
      return mark;
    });
    if (marks.length === 0) {
      continue;
    }
    marks[0].id = `ann-${id}`;
    marks[0].tabIndex = -1; // focusable from the list, not a stop in the tab order
    const link = entry.querySelector("[data-goto-highlight]");
    if (link) {
      link.hidden = false;
    }
  }
}

// --- jumping between highlights and the list ----------------------------------------------

function activate(id) {
  for (const mark of document.querySelectorAll(`mark.${HIGHLIGHT_CLASS}.${ACTIVE_CLASS}`)) {
    mark.classList.remove(ACTIVE_CLASS);
  }
  for (const mark of document.querySelectorAll(`mark.${HIGHLIGHT_CLASS}`)) {
    if (mark.dataset.annotationId === id) {
      mark.classList.add(ACTIVE_CLASS);
    }
  }
}

function focusHighlight(id) {
  const mark = document.getElementById(`ann-${id}`);
  if (!mark) {
    return false;
  }
  activate(id);
  mark.scrollIntoView({ block: "center" });
  mark.focus({ preventScroll: true });
  return true;
}

function focusEntry(id) {
  const entry = document.getElementById(`annotation-${id}`);
  if (!entry) {
    return;
  }
  activate(id);
  entry.scrollIntoView({ block: "nearest" });
  entry.focus({ preventScroll: true });
}

document.addEventListener("click", (event) => {
  const link = event.target.closest("[data-goto-highlight] a");
  if (link) {
    const id = link.closest("[data-annotation-id]").dataset.annotationId;
    if (focusHighlight(id)) {
      event.preventDefault();
    }
    return;
  }
  const mark = event.target.closest(`mark.${HIGHLIGHT_CLASS}[data-annotation-id]`);
  // A click that ends a drag selection is not a request to jump; nor is one in select mode.
  if (mark && document.getSelection().isCollapsed && !mark.closest("[contenteditable]")) {
    focusEntry(mark.dataset.annotationId);
  }
});

// From a focused highlight, Enter leads to its comment.
document.addEventListener("keydown", (event) => {
  const mark = event.target.closest && event.target.closest(`mark.${HIGHLIGHT_CLASS}`);
  if (mark && event.key === "Enter") {
    event.preventDefault();
    focusEntry(mark.dataset.annotationId);
  }
});

// --- creating an annotation ---------------------------------------------------------------

const state = {
  form: null, // the open form: { dialog, marks, selection, returnFocus }
  adder: null, // the floating "Annotate selection" button
  selectMode: false,
  snapshots: new Map(), // container -> its children, to undo a keystroke that got through
};

function say(text) {
  const status = panel.querySelector("[data-annotate-status]");
  if (status) {
    status.textContent = text;
  }
}

function canAnnotate() {
  return Boolean(panel.dataset.createUrl) && containers.length > 0;
}

// The floating button, placed just under the selection and right after its section in the
// tab order (so Tab from a passage selected in select mode reaches it at once).
function adderButton() {
  if (!state.adder) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "button button--primary button--small annotation-adder";
    button.textContent = "Annotate selection";
    button.hidden = true;
    // Keep the selection: a mouse press on the button must not collapse it.
    button.addEventListener("mousedown", (event) => event.preventDefault());
    button.addEventListener("click", () => startAnnotating());
    state.adder = button;
  }
  return state.adder;
}

// Position `element` (inside the passage's <section>) just below the rectangle `rect`.
function placeBelow(element, section, rect) {
  const box = section.getBoundingClientRect();
  const width = Math.min(element.offsetWidth || 0, box.width);
  const left = Math.max(0, Math.min(rect.left - box.left, box.width - width));
  element.style.top = `${Math.round(rect.bottom - box.top + 6)}px`;
  element.style.left = `${Math.round(left)}px`;
}

function lastRect(range) {
  const rects = range.getClientRects();
  return rects.length ? rects[rects.length - 1] : range.getBoundingClientRect();
}

function updateAdder() {
  if (!canAnnotate()) {
    return;
  }
  const button = adderButton();
  const described = state.form ? null : currentSelection();
  if (!described || described.error) {
    if (document.activeElement !== button) {
      button.hidden = true;
    }
    if (described && described.error) {
      say(described.error);
    }
    return;
  }
  const section = described.container.parentElement;
  if (button.parentElement !== section) {
    described.container.after(button);
  }
  button.hidden = false;
  placeBelow(button, section, lastRect(document.getSelection().getRangeAt(0)));
  say("");
}

function startAnnotating() {
  if (!canAnnotate()) {
    return;
  }
  const described = currentSelection();
  if (!described) {
    say("Select a passage in the case first, then annotate it.");
    return;
  }
  if (described.error) {
    say(described.error);
    return;
  }
  openForm(described);
}

function openForm(selection) {
  closeForm(false);
  const template = panel.querySelector("#annotation-form-template");
  const dialog = template.content.firstElementChild.cloneNode(true);
  const form = dialog.querySelector("form");
  dialog.querySelector("[data-form-quote]").textContent = selection.exact;

  // The selection is lost once focus is in the comment field: show the passage as pending.
  document.getSelection().removeAllRanges();
  const marks = wrap(selection.container, selection.start, selection.end, () => {
    const mark = document.createElement("mark");
    mark.className = `${HIGHLIGHT_CLASS} ${PENDING_CLASS}`;
    return mark;
  });

  const section = selection.container.parentElement;
  selection.container.after(dialog); // outside the container: its text stays the server's
  if (state.adder) {
    state.adder.hidden = true;
  }
  state.form = { dialog, marks, selection, returnFocus: document.activeElement };
  if (marks.length) {
    placeBelow(dialog, section, marks[marks.length - 1].getBoundingClientRect());
  }
  dialog.scrollIntoView({ block: "nearest" });

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    save(form);
  });
  dialog.querySelector("[data-form-cancel]").addEventListener("click", () => closeForm(true));
  dialog.addEventListener("keydown", (event) => {
    if (event.key === "Escape") {
      event.preventDefault();
      closeForm(true);
    }
  });
  form.elements.body.focus();
}

// Close the form. `restore`: give the reader back their selection and focus (on cancel).
function closeForm(restore) {
  const open = state.form;
  if (!open) {
    return;
  }
  state.form = null;
  open.dialog.remove();
  unwrap(open.marks);
  if (!restore) {
    return;
  }
  const { container, start, end } = open.selection;
  const focusTarget =
    open.returnFocus && open.returnFocus !== document.body && document.contains(open.returnFocus)
      ? open.returnFocus
      : container.closest("[contenteditable]") || null;
  if (focusTarget === state.adder) {
    state.adder.hidden = false; // it stays under the selection given back below
  }
  if (focusTarget) {
    focusTarget.focus({ preventScroll: true });
  }
  const range = rangeFor(container, start, end);
  if (range) {
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }
}

function showError(form, text) {
  const error = form.querySelector("[data-form-error]");
  error.textContent = text;
  error.hidden = false;
}

async function save(form) {
  const open = state.form;
  if (!open || form.dataset.sending) {
    return;
  }
  const body = form.elements.body.value.trim();
  if (!body) {
    showError(form, "Write a comment for the passage.");
    form.elements.body.focus();
    return;
  }
  const { section, revision, start, end, exact } = open.selection;
  const payload = {
    revision,
    section,
    start,
    end,
    exact,
    body,
    criterion_key: form.elements.criterion_key.value,
    visibility: form.elements.visibility.value,
  };
  form.dataset.sending = "true";
  let response;
  try {
    response = await fetch(panel.dataset.createUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        Accept: "application/json",
        "X-CSRFToken": form.elements.csrf_token.value,
      },
      body: JSON.stringify(payload),
    });
  } catch {
    delete form.dataset.sending;
    showError(form, "Not saved: the connection failed. Your comment is still here; try again.");
    return;
  }
  const answer = await readJson(response);
  delete form.dataset.sending;
  if (response.status !== 201 || !answer || !answer.annotation) {
    const reason = answer && answer.error ? answer.error : "your session may have ended.";
    showError(form, `Not saved: ${reason}`);
    return;
  }
  closeForm(false);
  const id = String(answer.annotation.id);
  await refreshPanel(id);
  applyHighlights();
  say("Annotation saved.");
  focusEntry(id);
}

// Re-read the annotation list from the server, which alone renders comments (sanitized
// Markdown): the new entry appears in document order with everything the page shows.
// The chunk of the list that holds the new entry: ?annotation=<id> (the list shows a chunk at a
// time; more.js appends the others).
async function refreshPanel(id) {
  const url = new URL(window.location.href);
  url.hash = "";
  url.searchParams.delete("after");
  url.searchParams.set("annotation", id);
  try {
    const response = await fetch(url, {
      credentials: "same-origin",
      headers: { Accept: "text/html" },
    });
    if (!response.ok) {
      throw new Error(String(response.status));
    }
    const page = new DOMParser().parseFromString(await response.text(), "text/html");
    const fresh = page.querySelector("[data-annotations]");
    if (!fresh) {
      throw new Error("no annotation list");
    }
    const adopted = document.adoptNode(fresh);
    panel.replaceWith(adopted);
    panel = adopted;
    bindPanel();
  } catch {
    window.location.reload(); // the saved annotation shows after a plain reload
  }
}

// --- selecting with the keyboard ----------------------------------------------------------

// "Select passage" mode: each section becomes a read-only caret area (contenteditable with
// every edit refused), so arrow keys move a caret and Shift+arrows select, as with caret
// browsing.
function setSelectMode(on) {
  const wasInText = containers.includes(document.activeElement);
  state.selectMode = on;
  const toggle = panel.querySelector("[data-select-mode]");
  if (toggle) {
    toggle.setAttribute("aria-pressed", String(on));
    toggle.textContent = on
      ? "Stop selecting with the keyboard"
      : "Select passage with the keyboard";
  }
  for (const container of containers) {
    const heading = container.parentElement.querySelector("h2");
    if (on) {
      state.snapshots.set(container, container.cloneNode(true));
      container.contentEditable = "true";
      container.spellcheck = false;
      container.setAttribute("role", "textbox");
      container.setAttribute("aria-multiline", "true");
      container.setAttribute("aria-readonly", "true");
      container.setAttribute(
        "aria-label",
        `${heading ? heading.textContent : "Section"}: select with Shift and the arrow keys, ` +
          "then press Alt+A. Escape ends selecting.",
      );
    } else {
      container.removeAttribute("contenteditable");
      for (const name of ["spellcheck", "role", "aria-multiline", "aria-readonly", "aria-label"]) {
        container.removeAttribute(name);
      }
    }
  }
  if (!on) {
    state.snapshots.clear();
    // The sections are no longer focusable: keep the keyboard user's place on the toggle.
    if (toggle && wasInText) {
      toggle.focus();
    }
    return;
  }
  const first = containers[0];
  first.focus();
  const caret = rangeFor(first, 0, 0);
  if (caret) {
    const selection = document.getSelection();
    selection.removeAllRanges();
    selection.addRange(caret);
  }
  say("Selecting with the keyboard: Shift and the arrow keys select, Alt+A annotates.");
}

function inSelectMode(node) {
  return state.selectMode && node instanceof Node && containers.some((c) => c.contains(node));
}

// Refuse every change to the text while it is editable only for its caret.
for (const type of ["beforeinput", "paste", "drop", "cut", "dragstart"]) {
  document.addEventListener(type, (event) => {
    if (inSelectMode(event.target)) {
      event.preventDefault();
    }
  });
}
// Some input (an IME composition) cannot be refused: put the text back as it was.
document.addEventListener("input", (event) => {
  const container = containers.find((c) => c === event.target || c.contains(event.target));
  const snapshot = container && state.snapshots.get(container);
  if (state.selectMode && snapshot) {
    container.replaceChildren(...snapshot.cloneNode(true).childNodes);
    applyHighlights();
  }
});

// --- wiring -------------------------------------------------------------------------------

function bindPanel() {
  const controls = panel.querySelector("[data-annotate-controls]");
  if (controls && canAnnotate()) {
    controls.hidden = false;
    const toggle = panel.querySelector("[data-select-mode]");
    toggle.addEventListener("click", () => setSelectMode(!state.selectMode));
    if (state.selectMode) {
      toggle.setAttribute("aria-pressed", "true");
      toggle.textContent = "Stop selecting with the keyboard";
    }
  }
}

function setUp() {
  bindPanel();
  applyHighlights();
  // more.js appended a chunk of the list: highlight its passages too.
  document.addEventListener("attune:more", () => applyHighlights());
  if (canAnnotate()) {
    document.addEventListener("selectionchange", updateAdder);
    document.addEventListener("keydown", (event) => {
      if (event.defaultPrevented) {
        return; // e.g. Escape already closed the form
      }
      // Typing in a field (the comment itself) keeps every key.
      const typing = event.target.closest && event.target.closest("input, textarea, select");
      // event.code: Alt+A types "å" on some keyboard layouts, so match the key, not the letter.
      if (event.altKey && !event.ctrlKey && !event.metaKey && event.code === "KeyA" && !typing) {
        event.preventDefault();
        startAnnotating();
      } else if (event.key === "Escape" && state.selectMode && !state.form) {
        setSelectMode(false);
      }
    });
    window.addEventListener("resize", updateAdder);
  }
  // Arriving at "#ann-<id>": the highlight did not exist when the browser looked for it.
  const match = /^#ann-(\d+)$/.exec(window.location.hash);
  if (match) {
    focusHighlight(match[1]);
  }
}

// Last, once every declaration above has run.
if (panel) {
  setUp();
}
