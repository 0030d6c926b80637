// Navigation menus (<details class="nav-group">): one open at a time, closed by a click elsewhere or Escape.
document.addEventListener("click", (event) => {
  document.querySelectorAll(".nav-group[open]").forEach((group) => {
    if (!group.contains(event.target)) group.removeAttribute("open");
  });
});
document.addEventListener("keydown", (event) => {
  if (event.key === "Escape") document.querySelectorAll(".nav-group[open]").forEach((g) => g.removeAttribute("open"));
});
document.addEventListener("toggle", (event) => {
  const opened = event.target;
  if (!(opened instanceof HTMLDetailsElement) || !opened.classList.contains("nav-group") || !opened.open) return;
  document.querySelectorAll(".nav-group[open]").forEach((g) => { if (g !== opened) g.removeAttribute("open"); });
}, true);
