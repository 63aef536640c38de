// Small behaviours of the portal's pages. Kept in a file so the Content-Security-Policy
// needs no inline script.
document.addEventListener("change", (event) => {
  const field = event.target.closest("[data-submit-on-change]");
  if (field && field.form) {
    field.form.requestSubmit();
  }
});

// Profile forms ask for the identifiers of the chosen kind of enterprise only. A field whose
// input has data-kinds is shown for those kinds and otherwise hidden and disabled (so it is not
// sent); a required mark (data-required-mark) of a field with data-required-kinds shows for
// those kinds only. Without script every field shows, and the server checks them all.
function showFieldsOfKind(select) {
  const kind = select.value;
  const ofKind = (input, list) => input.dataset[list].split(" ").includes(kind);
  select.form.querySelectorAll("[data-kinds]").forEach((input) => {
    const shown = ofKind(input, "kinds");
    input.disabled = !shown;
    (input.closest(".field") || input).hidden = !shown;
  });
  select.form.querySelectorAll("[data-required-kinds]").forEach((input) => {
    const mark = document.querySelector(`label[for="${input.id}"] [data-required-mark]`);
    if (mark) {
      mark.hidden = !ofKind(input, "requiredKinds");
    }
  });
}
document.querySelectorAll("select[data-kind-select]").forEach(showFieldsOfKind);
document.addEventListener("change", (event) => {
  if (event.target.matches("select[data-kind-select]")) {
    showFieldsOfKind(event.target);
  }
});

// A button that prints the page (the decision letter); the browser saves it as PDF too.
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});

// A link to a folded section (a <details> with an id, such as an officer's action from the
// ranking's "Decide") unfolds it.
function openTargetedDetails() {
  const id = decodeURIComponent(window.location.hash.slice(1));
  const target = id && document.getElementById(id);
  if (target && target.tagName === "DETAILS") {
    target.open = true;
  }
}
openTargetedDetails();
window.addEventListener("hashchange", openTargetedDetails);

// On a phone the main navigation scrolls sideways: bring the current page's link into view, so
// a page far along it (My requests) is not hidden past the edge.
const currentNavLink = document.querySelector(".main-nav ul [aria-current='page']");
if (currentNavLink) {
  const list = currentNavLink.closest("ul");
  if (list.scrollWidth > list.clientWidth) {
    const left = currentNavLink.getBoundingClientRect().left - list.getBoundingClientRect().left + list.scrollLeft;
    list.scrollLeft = left - (list.clientWidth - currentNavLink.offsetWidth) / 2;
  }
}
