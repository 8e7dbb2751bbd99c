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
// Without JavaScript nothing happens: the Save buttons are the only way, as before.
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

  // A save by hand must carry the stamp of the last autosave, not the one it started with.
  form.addEventListener("submit", async (event) => {
    clearTimeout(timer);
    if (!inflight) return;
    event.preventDefault();
    await inflight;
    form.requestSubmit(event.submitter);
  });

  // Closing the tab: send what is unsaved one last time.
  window.addEventListener("pagehide", () => {
    if (dirty && !stopped && !inflight) navigator.sendBeacon(form.dataset.autosave, autosaveBody());
  });
})();
