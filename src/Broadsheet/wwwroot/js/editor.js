// Live preview for the article editor: the server renders the Markdown with the same pipeline as
// the public page (so what you see is what readers get). Without JavaScript, the Preview button does it.
(() => {
  "use strict";
  const body = document.querySelector("[data-preview-target]");
  if (!body) return;
  const preview = document.querySelector(body.dataset.previewTarget);
  const token = document.querySelector("input[name=__RequestVerificationToken]")?.value;
  let timer;
  body.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const response = await fetch("/admin/articles/preview", {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded", RequestVerificationToken: token },
        body: new URLSearchParams({ markdown: body.value }),
        credentials: "same-origin",
      });
      if (response.ok) preview.innerHTML = await response.text();
    }, 400);
  });
})();

// Autosave of drafts: a few seconds after typing stops (and at least every 15 s while it goes on),
// the form is posted to the autosave handler with its antiforgery token and concurrency stamp.
// The answer carries the new stamp; a conflict (someone else saved) stops autosaving and says so.
// On a new article's page the first autosave creates the draft: the page then becomes that draft's
// editor (its address, the form's target, the autosave address), so Save updates the draft instead
// of making a second article (should that first answer be lost, the form's hidden draft key makes the
// server treat the next save as that draft's). Without JavaScript nothing happens: the Save buttons are the only way.
(() => {
  "use strict";
  const form = document.querySelector("form[data-autosave]");
  if (!form || !form.dataset.autosave) return;
  const status = form.querySelector(".autosave-status");
  const stamp = form.querySelector("input[name='Edit.ConcurrencyStamp']");
  const quietMs = 3000, longestMs = 15000;
  let timer, firstChange = 0, dirty = false, stopped = false, inflight = null;

  // The text fields only: a chosen image is uploaded by the Save button, not again every few seconds.
  const autosaveBody = () => {
    const data = new FormData(form);
    for (const input of form.querySelectorAll("input[type=file][name]")) data.delete(input.name);
    return data;
  };

  const save = async () => {
    clearTimeout(timer);
    if (!dirty || stopped || inflight) return;
    dirty = false;
    firstChange = 0;
    inflight = (async () => {
      try {
        const response = await fetch(form.dataset.autosave, { method: "POST", body: autosaveBody(), credentials: "same-origin" });
        const answer = await response.json().catch(() => ({ saved: false, message: "Not saved automatically." }));
        if (response.ok && answer.saved) {
          stamp.value = answer.concurrencyStamp;
          if (answer.autosaveUrl && answer.autosaveUrl !== form.dataset.autosave) {
            form.dataset.autosave = answer.autosaveUrl;
            form.action = answer.editUrl;
            history.replaceState(history.state, "", answer.editUrl);
          }
        } else if (response.ok) {
          dirty = true; // a new article's empty form: nothing to save until something is typed
        } else {
          stopped = response.status === 409 || response.status === 403 || response.status === 404;
          if (!stopped) dirty = true; // try again with the next change
        }
        if (status) status.textContent = answer.message || "";
      } catch {
        dirty = true; // offline for a moment: the next change tries again
        if (status) status.textContent = "Not saved automatically: the site did not answer.";
      } finally {
        inflight = null;
      }
    })();
    await inflight;
  };

  form.addEventListener("input", () => {
    if (stopped) return;
    dirty = true;
    const now = Date.now();
    firstChange ||= now;
    clearTimeout(timer);
    timer = setTimeout(save, Math.max(0, Math.min(quietMs, firstChange + longestMs - now)));
  });

  // A save by hand must carry the stamp (and on a new article's page, the address) of the last
  // autosave, not the ones it started with.
  form.addEventListener("submit", async (event) => {
    clearTimeout(timer);
    if (inflight) {
      event.preventDefault();
      await inflight;
      form.requestSubmit(event.submitter);
      return;
    }
    // The form now carries everything typed: no last autosave as the page goes, which would race
    // this post (and, before the first autosave answered, could make a second draft).
    stopped = true;
  });

  // Closing the tab: send what is unsaved one last time.
  window.addEventListener("pagehide", () => {
    if (dirty && !stopped && !inflight) navigator.sendBeacon(form.dataset.autosave, autosaveBody());
  });
})();

// Topic suggestions: as the last comma-separated topic is typed, existing topics that start like it
// (most used first) are offered through a <datalist>, so the browser shows them as its own
// accessible list; each option is the whole field with that topic completed. Without JavaScript the
// field is plain text, as before.
(() => {
  "use strict";
  const input = document.querySelector("input[data-topic-suggestions]");
  if (!input) return;
  const list = document.createElement("datalist");
  list.id = `${input.id}-suggestions`;
  input.after(list);
  input.setAttribute("list", list.id);
  input.setAttribute("autocomplete", "off");
  let timer;

  // "Transport, City Co" → ["Transport, ", "City Co"]
  const split = () => {
    const at = input.value.lastIndexOf(",");
    return at < 0 ? ["", input.value.trim()] : [input.value.slice(0, at + 1) + " ", input.value.slice(at + 1).trim()];
  };

  const suggest = async () => {
    const [head, term] = split();
    if (!term) {
      list.replaceChildren();
      return;
    }
    let names;
    try {
      const response = await fetch(`${input.dataset.topicSuggestions}?q=${encodeURIComponent(term)}`, {
        credentials: "same-origin",
        headers: { Accept: "application/json" },
      });
      if (!response.ok) return; // 401 once signed out: the next save goes to the sign-in page anyway
      names = await response.json();
    } catch {
      return; // offline for a moment: no suggestions, typing still works
    }
    if (split()[1] !== term) return; // typing went on meanwhile; a newer answer is coming
    const chosen = new Set(head.split(",").map((t) => t.trim().toLowerCase()).filter(Boolean));
    list.replaceChildren(...names.filter((name) => !chosen.has(name.toLowerCase())).map((name) => {
      const option = document.createElement("option");
      option.value = head + name;
      return option;
    }));
  };

  input.addEventListener("input", (event) => {
    clearTimeout(timer);
    // A suggestion was picked: nothing more to offer until the next keystroke.
    if (!(event instanceof InputEvent) || event.inputType === "insertReplacementText") {
      list.replaceChildren();
      return;
    }
    timer = setTimeout(suggest, 150);
  });
})();
