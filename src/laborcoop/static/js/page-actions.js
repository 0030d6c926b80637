// Small page behaviours declared by data attributes. The Content-Security-Policy allows no inline script, so
// templates never carry onclick= / onchange= handlers: they mark the element and this file listens.
// Listeners are delegated on the document, so elements that htmx swaps in later work too.

// <select data-autosubmit>: choosing an option submits its form (the region picker).
document.addEventListener("change", (event) => {
  const select = event.target;
  if (select instanceof HTMLSelectElement && select.hasAttribute("data-autosubmit") && select.form) {
    select.form.submit(); // a full page load: the picker itself changes with the region
  }
});

document.addEventListener("click", (event) => {
  if (!(event.target instanceof Element)) return;

  // <a data-href-from-form="form.filters">: follow the link with the form's current fields as the query, so an
  // export takes the filters shown on screen even when htmx changed them without reloading the page.
  const link = event.target.closest("a[data-href-from-form]");
  if (link instanceof HTMLAnchorElement) {
    const form = document.querySelector(link.dataset.hrefFromForm);
    if (form instanceof HTMLFormElement) {
      const query = new URLSearchParams(new FormData(form)).toString();
      link.href = link.pathname + (query ? "?" + query : "");
    }
    return;
  }

  // <a data-history-back href="...">: go back one page; the href is the fallback when there is no history.
  const back = event.target.closest("a[data-history-back]");
  if (back && window.history.length > 1) {
    event.preventDefault();
    window.history.back();
  }
});
