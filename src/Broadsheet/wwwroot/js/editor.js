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
