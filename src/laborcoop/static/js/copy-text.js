// <button data-copy-from="#id">: copy the value of the named input to the clipboard (no inline script: CSP).
document.addEventListener("click", (event) => {
  const button = event.target.closest("button[data-copy-from]");
  if (!button) return;
  const field = document.querySelector(button.getAttribute("data-copy-from"));
  if (!(field instanceof HTMLInputElement)) return;
  field.select();
  const done = () => { button.textContent = "已复制"; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => { document.execCommand("copy"); done(); });
  } else {
    document.execCommand("copy");
    done();
  }
});
