// Comment section enhancements. Without this file everything still works: the form posts and
// redirects, "Reply" links reload the page with the form under the comment.
(() => {
  "use strict";
  const respond = document.getElementById("respond");
  const form = document.getElementById("commentform");
  const storageKey = "broadsheet.commenter";

  relativeTimes(document);
  const section = document.getElementById("comments");
  if (section?.dataset.live && "EventSource" in window) listenForNewComments(section);
  if (!respond || !form) return;

  const field = (name) => form.elements.namedItem(name);
  const home = { parent: respond.parentNode, next: respond.nextSibling };
  const title = document.getElementById("reply-title");
  const cancel = document.getElementById("cancel-comment-reply-link");
  const parentInput = field("comment_parent");
  const titleText = title.firstChild;
  const status = document.createElement("p");
  status.className = "comment-status";
  status.setAttribute("role", "status");
  form.before(status);

  restoreDetails();

  // Reply without reloading: move the one form under the comment being answered.
  document.addEventListener("click", (event) => {
    const link = event.target.closest(".comment-reply-link");
    if (!link) return;
    event.preventDefault();
    const comment = document.getElementById(`comment-${link.dataset.commentId}`);
    comment.querySelector(":scope > .comment-body").after(respond);
    parentInput.value = link.dataset.commentId;
    titleText.textContent = `Reply to ${link.dataset.author} `;
    cancel.parentElement.hidden = false;
    field("comment").focus();
  });

  cancel.addEventListener("click", (event) => {
    event.preventDefault();
    resetReply();
    field("comment").focus();
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    status.textContent = "Posting your comment…";
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new URLSearchParams(new FormData(form)),
        headers: { Accept: "application/json" },
        credentials: "same-origin",
      });
    } catch {
      button.disabled = false;
      HTMLFormElement.prototype.submit.call(form); // network trouble: fall back to a plain post
      return;
    }
    button.disabled = false;
    if (response.status === 201) {
      const held = response.headers.get("X-Comment-Status") === "held";
      const item = placeComment(await response.text(), parentInput.value);
      item.setAttribute("tabindex", "-1");
      item.focus();
      saveDetails();
      clearProblems();
      field("comment").value = "";
      resetReply();
      status.textContent = held ? "Thank you. Your comment is awaiting moderation." : "Your comment has been posted.";
      return;
    }
    let problem = {};
    try { problem = await response.json(); } catch { /* not JSON: show a generic message */ }
    showProblems(problem);
    status.textContent = "";
  });

  // Puts a comment's HTML in its thread: under its parent, or at the end of the list. A comment
  // already on the page (a live update can beat our own post's answer) is replaced, not doubled.
  function placeComment(html, parentId) {
    const template = document.createElement("template");
    template.innerHTML = html.trim();
    const item = template.content.firstElementChild;
    const existing = document.getElementById(item.id);
    if (existing) {
      existing.replaceWith(item);
      relativeTimes(item);
      return item;
    }
    let list;
    if (parentId && parentId !== "0") {
      const parent = document.getElementById(`comment-${parentId}`);
      list = parent.querySelector(":scope > ol.children");
      if (!list) {
        list = document.createElement("ol");
        list.className = "children";
        parent.append(list);
      }
    } else {
      list = document.querySelector("#comments > ol.comment-list");
      if (!list) {
        list = document.createElement("ol");
        list.className = "comment-list";
        document.querySelector("#comments .comments-empty")?.remove();
        document.getElementById("comments-title").after(list);
      }
    }
    list.append(item);
    relativeTimes(item);
    return item;
  }

  // Live updates (Server-Sent Events): a comment approved anywhere, on any node, appears on open
  // pages without a reload and is announced to screen readers. Its HTML comes from the cached
  // fragment URL, so many open pages cost one render. EventSource reconnects by itself and sends
  // the last comment id it saw, and the server replays what was missed.
  function listenForNewComments(section) {
    const announcer = document.createElement("p");
    announcer.className = "visually-hidden";
    announcer.setAttribute("aria-live", "polite");
    section.append(announcer);
    const source = new EventSource(section.dataset.live);
    source.addEventListener("comment", async (event) => {
      const comment = JSON.parse(event.data);
      if (document.getElementById(`comment-${comment.id}`)) return;
      // A new thread belongs at the end of the last page; a reply only where its parent is shown.
      if (comment.parentId ? !document.getElementById(`comment-${comment.parentId}`) : section.querySelector(".comments-pager a[rel=next]")) return;
      const response = await fetch(comment.fragment, { credentials: "same-origin" });
      if (!response.ok || document.getElementById(`comment-${comment.id}`)) return;
      const item = placeComment(await response.text(), comment.parentId ? String(comment.parentId) : null);
      item.classList.add("comment-new");
      announcer.textContent = `New comment from ${item.querySelector(".comment-author")?.textContent.trim() || "a reader"}.`;
    });
  }

  function resetReply() {
    home.parent.insertBefore(respond, home.next);
    parentInput.value = "0";
    titleText.textContent = "Leave a Comment ";
    cancel.parentElement.hidden = true;
  }

  function clearProblems() {
    form.querySelector(".form-problems")?.remove();
    for (const error of form.querySelectorAll(".field-error")) error.remove();
    for (const input of form.querySelectorAll("[aria-invalid]")) {
      input.removeAttribute("aria-invalid");
      const describedBy = (input.getAttribute("aria-describedby") || "").split(" ").filter((id) => id && !id.endsWith("-error"));
      if (describedBy.length) input.setAttribute("aria-describedby", describedBy.join(" "));
      else input.removeAttribute("aria-describedby");
    }
  }

  function showProblems(problem) {
    clearProblems();
    const errors = problem.errors || {};
    const box = document.createElement("div");
    box.className = "form-problems";
    box.setAttribute("role", "alert");
    box.tabIndex = -1;
    const intro = document.createElement("p");
    intro.textContent = "Your comment could not be posted:";
    const list = document.createElement("ul");
    if (problem.detail || !Object.keys(errors).length) {
      const item = document.createElement("li");
      item.textContent = problem.detail || "Something went wrong. Please try again.";
      list.append(item);
    }
    for (const [name, messages] of Object.entries(errors)) {
      const input = field(name === "comment_parent" ? "comment" : name);
      const message = messages[0];
      const item = document.createElement("li");
      const link = document.createElement("a");
      link.href = `#${input.id}`;
      link.textContent = message;
      item.append(link);
      list.append(item);
      const error = document.createElement("span");
      error.className = "field-error";
      error.id = `${input.id}-error`;
      error.textContent = message;
      input.after(error);
      input.setAttribute("aria-invalid", "true");
      input.setAttribute("aria-describedby", [input.getAttribute("aria-describedby"), error.id].filter(Boolean).join(" "));
    }
    box.append(intro, list);
    form.prepend(box);
    box.focus();
  }

  // "Save my name, email, and website in this browser": kept in this browser only, never sent
  // anywhere but with a comment, so the shared cached page never contains anyone's details.
  function saveDetails() {
    if (field("wp-comment-cookies-consent").checked) {
      localStorage.setItem(storageKey, JSON.stringify({
        author: field("author").value, email: field("email").value, url: field("url").value,
      }));
    } else {
      localStorage.removeItem(storageKey);
    }
  }

  function restoreDetails() {
    let saved;
    try { saved = JSON.parse(localStorage.getItem(storageKey) || "null"); } catch { saved = null; }
    if (!saved) return;
    for (const name of ["author", "email", "url"]) {
      if (!field(name).value && saved[name]) field(name).value = saved[name];
    }
    field("wp-comment-cookies-consent").checked = true;
  }

  function relativeTimes(root) {
    const format = new Intl.RelativeTimeFormat(document.documentElement.lang || "en", { numeric: "auto" });
    const units = [["year", 31536000], ["month", 2592000], ["week", 604800], ["day", 86400], ["hour", 3600], ["minute", 60]];
    for (const time of root.querySelectorAll("time[data-relative]")) {
      const seconds = (Date.parse(time.dateTime) - Date.now()) / 1000;
      const [unit, size] = units.find(([, s]) => Math.abs(seconds) >= s) || ["second", 1];
      if (!time.title) time.title = time.textContent.trim();
      time.textContent = format.format(Math.round(seconds / size), unit);
    }
  }
})();
