// Small behaviours of the portal's pages. Kept in a file so the Content-Security-Policy
// needs no inline script.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});
