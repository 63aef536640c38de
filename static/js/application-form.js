// The application form's behaviours (no inline script: the site's CSP forbids it).
// - Conditional questions show and hide as the answers change; a hidden question's inputs are
//   disabled, so they are not sent (the server drops hidden answers anyway).
// - Long answers count their words against the limit.
// - A repeating group adds and removes rows in place (without script, its buttons do it on the server).
// - Autosave: htmx posts the step ~1 s after typing stops (hx-trigger on the form); what has not
//   reached the server yet is sent with a beacon when the page is hidden or closed.
(function () {
  "use strict";

  const forms = document.querySelectorAll("form.application-form");

  function currentValues(form, name) {
    const values = [];
    form.querySelectorAll(`[name="${CSS.escape(name)}"]`).forEach((input) => {
      if (input.disabled) {
        return;
      }
      if (input.type === "radio" || input.type === "checkbox") {
        if (input.checked) {
          values.push(input.value);
        }
      } else if (input.value !== "") {
        values.push(input.value);
      }
    });
    return values;
  }

  function applyConditions(form) {
    // In document order, so a question hidden by an earlier hidden one hides too.
    form.querySelectorAll("[data-show-if]").forEach((question) => {
      const wanted = JSON.parse(question.dataset.showValues || "[]");
      const shown = currentValues(form, question.dataset.showIf).some((value) => wanted.includes(value));
      question.hidden = !shown;
      question.querySelectorAll("input, select, textarea").forEach((input) => {
        input.disabled = !shown;
      });
    });
  }

  function countWords(counter) {
    const input = document.getElementById(counter.dataset.wordCountFor);
    if (!input) {
      return;
    }
    const words = input.value.trim() ? input.value.trim().split(/\s+/).length : 0;
    counter.querySelector("[data-count]").textContent = words;
    counter.classList.toggle("over-limit", words > Number(counter.dataset.maxWords));
    counter.hidden = false;
  }

  function renumber(row, from, to, group) {
    const pattern = new RegExp(`^(id_)?${group}-${from}-`);
    row.querySelectorAll("[name], [id], label[for], [aria-describedby]").forEach((el) => {
      ["name", "id", "for"].forEach((attr) => {
        const value = el.getAttribute(attr);
        if (value && pattern.test(value)) {
          el.setAttribute(attr, value.replace(pattern, (match, prefix) => `${prefix || ""}${group}-${to}-`));
        }
      });
      el.removeAttribute("aria-describedby");
      el.removeAttribute("aria-invalid");
    });
    const remove = row.querySelector("[data-remove-row]");
    if (remove) {
      remove.value = `${group}-${to}`;
    }
  }

  function addRow(form, group) {
    const table = form.querySelector(`table[data-group="${CSS.escape(group)}"]`);
    const count = form.querySelector(`input[name="${CSS.escape(group)}"]`);
    const rows = table.tBodies[0].rows;
    const n = rows.length;
    if (n >= Number(table.dataset.maxRows) || n === 0) {
      return false; // the server says why (or builds the first row)
    }
    const row = rows[n - 1].cloneNode(true);
    renumber(row, n - 1, n, group);
    row.querySelectorAll("input, select, textarea").forEach((input) => {
      if (input.type === "checkbox" || input.type === "radio") {
        input.checked = false;
      } else {
        input.value = "";
      }
    });
    row.querySelectorAll(".error").forEach((error) => error.remove());
    row.querySelectorAll(".has-error").forEach((cell) => cell.classList.remove("has-error"));
    table.tBodies[0].appendChild(row);
    count.value = String(n + 1);
    row.querySelector("input, select, textarea").focus();
    return true;
  }

  function removeRow(form, button) {
    const row = button.closest("tr");
    const table = row.closest("table");
    const group = table.dataset.group;
    const body = table.tBodies[0];
    const index = Array.prototype.indexOf.call(body.rows, row);
    row.remove();
    for (let i = index; i < body.rows.length; i += 1) {
      renumber(body.rows[i], i + 1, i, group);
    }
    form.querySelector(`input[name="${CSS.escape(group)}"]`).value = String(body.rows.length);
    return true;
  }

  forms.forEach((form) => {
    let dirty = false;
    let submitting = false;
    const autosaveUrl = form.dataset.autosave;

    applyConditions(form);
    form.querySelectorAll("[data-word-count-for]").forEach(countWords);

    form.addEventListener("input", (event) => {
      dirty = true;
      const counter = form.querySelector(`[data-word-count-for="${CSS.escape(event.target.id)}"]`);
      if (counter) {
        countWords(counter);
      }
    });
    form.addEventListener("change", () => {
      dirty = true;
      applyConditions(form);
    });

    form.addEventListener("click", (event) => {
      const add = event.target.closest("[data-add-row]");
      const remove = event.target.closest("[data-remove-row]");
      let changed = false;
      if (add) {
        changed = addRow(form, add.dataset.addRow);
      } else if (remove) {
        changed = removeRow(form, remove);
      }
      if (changed) {
        event.preventDefault();
        dirty = true;
        form.dispatchEvent(new Event("change", { bubbles: true }));
      }
    });

    form.addEventListener("submit", () => {
      submitting = true;
    });

    if (!autosaveUrl) {
      return;
    }
    // htmx sends the step's answers, never its files: uploads go with the buttons.
    form.addEventListener("htmx:configRequest", (event) => {
      form.querySelectorAll('input[type="file"]').forEach((input) => {
        event.detail.formData.delete(input.name);
      });
    });
    form.addEventListener("htmx:afterRequest", (event) => {
      if (event.detail.successful) {
        dirty = false;
      }
    });

    function saveOnLeaving() {
      if (!dirty || submitting) {
        return;
      }
      const data = new FormData(form);
      form.querySelectorAll('input[type="file"]').forEach((input) => data.delete(input.name));
      // The form carries its CSRF token (csrfmiddlewaretoken), so the beacon passes Django's check.
      if (navigator.sendBeacon(autosaveUrl, data)) {
        dirty = false;
      }
    }
    document.addEventListener("visibilitychange", () => {
      if (document.visibilityState === "hidden") {
        saveOnLeaving();
      }
    });
    window.addEventListener("pagehide", saveOnLeaving);
  });
})();
