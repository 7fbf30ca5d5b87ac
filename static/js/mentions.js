// Attune: @mention suggestions in the discussion composer. Progressive enhancement: without this
// file, typing "@" and a member's full name by hand links and notifies them just the same.
//
// The ARIA 1.2 combobox pattern on the textarea: aria-expanded and aria-controls name a listbox,
// aria-activedescendant follows the highlighted option while focus stays in the text.
// ArrowDown/ArrowUp move, Enter or Tab insert "@Full Name ", Escape closes.
// The people come from the textarea's data-mention-members: [{id, name, role}, ...].

const MAX_OPTIONS = 8;
const MAX_QUERY = 60; // characters after "@" still read as a name being typed

for (const textarea of document.querySelectorAll("textarea[data-mention-members]")) {
  enhance(textarea);
}

function fold(text) {
  return text.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase();
}

function readMembers(textarea) {
  try {
    const list = JSON.parse(textarea.dataset.mentionMembers || "[]");
    return Array.isArray(list)
      ? list.filter((m) => m && typeof m.name === "string" && m.name.trim())
      : [];
  } catch {
    return [];
  }
}

function enhance(textarea) {
  const members = readMembers(textarea);
  if (!members.length) {
    return;
  }
  const base = `${textarea.id || "composer"}-mentions`;
  const listbox = document.createElement("ul");
  listbox.id = base;
  listbox.className = "mention-listbox";
  listbox.setAttribute("role", "listbox");
  listbox.setAttribute("aria-label", "People to mention");
  listbox.hidden = true;
  const status = document.createElement("p");
  status.className = "visually-hidden";
  status.setAttribute("role", "status");
  textarea.after(listbox, status);

  textarea.setAttribute("role", "combobox");
  textarea.setAttribute("aria-autocomplete", "list");
  textarea.setAttribute("aria-haspopup", "listbox");
  textarea.setAttribute("aria-controls", base);
  textarea.setAttribute("aria-expanded", "false");

  let matches = [];
  let active = -1;
  let trigger = null; // {start, end} of the "@query" being typed

  const say = (text) => {
    if (status.textContent !== text) {
      status.textContent = text;
    }
  };

  function findTrigger() {
    if (textarea.selectionStart !== textarea.selectionEnd) {
      return null;
    }
    const caret = textarea.selectionStart;
    const before = textarea.value.slice(Math.max(0, caret - MAX_QUERY - 1), caret);
    const at = before.lastIndexOf("@");
    if (at < 0) {
      return null;
    }
    const start = caret - before.length + at;
    const previous = start > 0 ? textarea.value[start - 1] : "";
    if (previous && /[\p{L}\p{N}_@]/u.test(previous)) {
      return null; // an e-mail address, not a mention
    }
    const query = textarea.value.slice(start + 1, caret);
    if (/\n/.test(query) || /^\s/.test(query)) {
      return null;
    }
    return { start, end: caret, query };
  }

  function rank(query) {
    const wanted = fold(query);
    const scored = [];
    for (const member of members) {
      const name = fold(member.name);
      if (name === wanted.trimEnd() && query.endsWith(" ")) {
        continue; // already typed in full
      }
      if (name.startsWith(wanted)) {
        scored.push([0, member]);
      } else if (name.split(/\s+/).some((word) => word.startsWith(wanted))) {
        scored.push([1, member]);
      } else if (wanted.length >= 2 && name.includes(wanted)) {
        scored.push([2, member]);
      }
    }
    scored.sort((a, b) => a[0] - b[0] || a[1].name.localeCompare(b[1].name));
    return scored.slice(0, MAX_OPTIONS).map(([, member]) => member);
  }

  function setActive(index) {
    active = index;
    for (const option of listbox.children) {
      const selected = Number(option.dataset.index) === index;
      option.setAttribute("aria-selected", selected ? "true" : "false");
      if (selected) {
        textarea.setAttribute("aria-activedescendant", option.id);
        option.scrollIntoView({ block: "nearest" });
      }
    }
  }

  function render() {
    listbox.replaceChildren(
      ...matches.map((member, index) => {
        const option = document.createElement("li");
        option.id = `${base}-${index}`;
        option.className = "mention-listbox__option";
        option.setAttribute("role", "option");
        option.dataset.index = String(index);
        const name = document.createElement("span");
        name.textContent = member.name;
        option.append(name);
        if (member.role) {
          const role = document.createElement("span");
          role.className = "mention-listbox__role";
          role.textContent = member.role;
          option.append(role);
        }
        return option;
      }),
    );
  }

  function close() {
    listbox.hidden = true;
    textarea.setAttribute("aria-expanded", "false");
    textarea.removeAttribute("aria-activedescendant");
    matches = [];
    active = -1;
    trigger = null;
  }

  function update() {
    trigger = findTrigger();
    const found = trigger ? rank(trigger.query) : [];
    if (!found.length) {
      if (!listbox.hidden) {
        say("");
      }
      close();
      return;
    }
    const same =
      found.length === matches.length && found.every((member, i) => member === matches[i]);
    matches = found;
    if (!same || listbox.hidden) {
      render();
      listbox.hidden = false;
      textarea.setAttribute("aria-expanded", "true");
      setActive(0);
      const count = found.length === 1 ? "1 person" : `${found.length} people`;
      say(`${count} to mention. Up and down arrows to choose, Enter to insert.`);
    }
  }

  function choose(index) {
    const member = matches[index];
    if (!member || !trigger) {
      return;
    }
    textarea.setRangeText(`@${member.name} `, trigger.start, trigger.end, "end");
    close();
    textarea.focus();
    say(`${member.name} mentioned.`);
  }

  textarea.addEventListener("input", update);
  textarea.addEventListener("click", update);
  textarea.addEventListener("keyup", (event) => {
    if (["ArrowLeft", "ArrowRight", "Home", "End"].includes(event.key)) {
      update();
    }
  });
  textarea.addEventListener("keydown", (event) => {
    if (listbox.hidden || !matches.length) {
      return;
    }
    if (event.key === "ArrowDown") {
      event.preventDefault();
      setActive((active + 1) % matches.length);
    } else if (event.key === "ArrowUp") {
      event.preventDefault();
      setActive((active - 1 + matches.length) % matches.length);
    } else if ((event.key === "Enter" || event.key === "Tab") && !event.shiftKey) {
      if (active >= 0) {
        event.preventDefault();
        choose(active);
      }
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  textarea.addEventListener("blur", close);
  // mousedown, not click: keep the focus (and the caret) in the textarea while choosing.
  listbox.addEventListener("mousedown", (event) => {
    event.preventDefault();
    const option = event.target.closest("[role='option']");
    if (option) {
      choose(Number(option.dataset.index));
    }
  });
}
