// Attune: "show more" links that append the next chunk of a list in place. Progressive
// enhancement: without this file each link opens the page with that chunk (?after=...).
//
// A link carries data-load-more, data-fragment-url (the chunk as an HTML fragment) and
// data-load-more-list (a selector for the list to append to), inside a [data-load-more-box].
// The fragment holds [data-load-more-items] (the entries, with data-announce: what to say)
// and the next [data-load-more-box]. Focus moves to the first new entry; a polite live region
// ([data-load-more-status]) says what was added. The list gets an "attune:more" event with
// the new entries, so other scripts (annotate.js: highlights) can take them in.

const STATUS_SELECTOR = "[data-load-more-status]";

function announce(list, text) {
  const scope = list.closest("section") || document;
  const status = scope.querySelector(STATUS_SELECTOR) || document.querySelector(STATUS_SELECTOR);
  if (status) {
    status.textContent = "";
    // A fresh text node after clearing, so screen readers announce a repeat of the same words.
    window.setTimeout(() => {
      status.textContent = text;
    }, 50);
  }
}

function focusFirst(item) {
  const target = item.querySelector("[tabindex='-1']") || item;
  if (!target.hasAttribute("tabindex")) {
    target.tabIndex = -1;
  }
  target.focus({ preventScroll: true });
  target.scrollIntoView({ block: "nearest" });
}

// Fetch the chunk after `link` and append it; resolves with the entries added.
export async function loadMore(link) {
  const list = document.querySelector(link.dataset.loadMoreList);
  const box = link.closest("[data-load-more-box]");
  if (!list || !box) {
    throw new Error("nothing to append to");
  }
  link.setAttribute("aria-disabled", "true");
  const response = await fetch(link.dataset.fragmentUrl, {
    credentials: "same-origin",
    headers: { Accept: "text/html" },
  });
  if (!response.ok || response.redirected) {
    throw new Error(String(response.status));
  }
  const fragment = new DOMParser().parseFromString(await response.text(), "text/html");
  const items = fragment.querySelector("[data-load-more-items]");
  if (!items) {
    throw new Error("no entries in the answer");
  }
  const added = [];
  for (const item of Array.from(items.children)) {
    const adopted = document.adoptNode(item);
    list.append(adopted);
    added.push(adopted);
  }
  const next = fragment.querySelector("[data-load-more-box]");
  if (next) {
    box.replaceWith(document.adoptNode(next));
  } else {
    box.remove();
  }
  list.dispatchEvent(new CustomEvent("attune:more", { bubbles: true, detail: { added } }));
  if (added.length) {
    focusFirst(added[0]);
  }
  announce(list, items.dataset.announce || `${added.length} more shown.`);
  return added;
}

document.addEventListener("click", (event) => {
  const link = event.target.closest && event.target.closest("a[data-load-more]");
  // A modified click (new tab, new window) keeps the plain link.
  if (!link || event.button !== 0 || event.ctrlKey || event.metaKey || event.shiftKey) {
    return;
  }
  event.preventDefault();
  if (link.getAttribute("aria-disabled") === "true") {
    return; // already loading
  }
  loadMore(link).catch(() => {
    window.location.assign(link.href); // the plain page with the next chunk
  });
});
