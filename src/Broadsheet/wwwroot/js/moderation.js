// Moderation desk keyboard shortcuts: j/k move, a/s/t act on the current comment, x selects it.
(() => {
  "use strict";
  const items = [...document.querySelectorAll(".moderation-item")];
  if (!items.length) return;
  let current = -1;

  const select = (index) => {
    if (index < 0 || index >= items.length) return;
    items[current]?.classList.remove("is-current");
    current = index;
    const item = items[current];
    item.classList.add("is-current");
    item.focus();
    item.scrollIntoView({ block: "nearest" });
  };

  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.target.closest("input:not([type=checkbox]), textarea, select, [contenteditable]")) return;
    const key = event.key.toLowerCase();
    if (key === "j") select(current + 1);
    else if (key === "k") select(Math.max(0, current - 1));
    else if (key === "x" && current >= 0) {
      const box = items[current].querySelector("input[type=checkbox]");
      box.checked = !box.checked;
    } else if (["a", "s", "t"].includes(key) && current >= 0) {
      items[current].querySelector(`button[data-shortcut="${key}"]`)?.click();
    } else return;
    event.preventDefault();
  });
})();
