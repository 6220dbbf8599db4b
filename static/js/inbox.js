// Inbox (issue 7): a saved reply chosen in the list fills the answer box (no inline script: CSP).
document.addEventListener("change", (event) => {
  const select = event.target.closest("select.saved-reply");
  if (!select || !select.value) return;
  const target = document.getElementById(select.dataset.target);
  if (target) {
    target.value = select.value;
    target.focus();
  }
});
