// Progressive enhancement only: every page works without this file.
(() => {
  "use strict";
  document.documentElement.classList.add("js");

  // "Scroll to Top": a plain link to #top without JavaScript. With it, the control appears once the
  // reader has scrolled, scrolls smoothly (unless they prefer reduced motion) and moves focus to the top.
  const toTop = document.querySelector(".to-top");
  const top = document.getElementById("top");
  if (!toTop || !top) return;

  const showAfter = () => Math.max(300, window.innerHeight / 2);
  const update = () => toTop.classList.toggle("is-visible", window.scrollY > showAfter());
  window.addEventListener("scroll", update, { passive: true });
  update();

  toTop.addEventListener("click", (event) => {
    event.preventDefault();
    const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
    window.scrollTo({ top: 0, behavior: reduceMotion ? "auto" : "smooth" });
    top.focus({ preventScroll: true });
  });
})();
