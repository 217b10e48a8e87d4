// Small progressive enhancements; every page works without this file.
document.addEventListener("submit", (event) => {
  const button = event.submitter;
  const message = button && button.dataset.confirm;
  if (message && !window.confirm(message)) {
    event.preventDefault();
    return;
  }
  // Prevent double submission of the same form (double tap on a phone).
  const form = event.target;
  if (form.dataset.submitted === "1" && !form.hasAttribute("data-allow-resubmit")) {
    event.preventDefault();
    return;
  }
  form.dataset.submitted = "1";
  window.setTimeout(() => { form.dataset.submitted = ""; }, 4000);
});

// Searchable pickers: typing in the filter hides the options of its <select> that do not match.
document.addEventListener("input", (event) => {
  const filter = event.target;
  if (!filter.matches || !filter.matches(".picker-filter")) return;
  const select = document.getElementById(filter.dataset.picker);
  if (!select) return;
  const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  for (const option of select.options) {
    const text = option.textContent.toLowerCase();
    option.hidden = option.value !== "" && !option.selected && !words.every((w) => text.includes(w));
  }
});

// Desktop menu sections: opening one closes the others; a click elsewhere closes them all.
document.addEventListener("click", (event) => {
  for (const section of document.querySelectorAll("details.nav-section[open]")) {
    if (!section.contains(event.target)) section.removeAttribute("open");
  }
});
