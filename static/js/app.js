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

// Searchable pickers: typing in the filter hides the options of its <select>, or the lines of its
// checkbox list, that do not match; chosen ones stay visible.
function pickerEntries(target) {
  if (target.tagName === "SELECT") {
    return Array.from(target.options, (option) => ({ node: option, text: option.textContent,
      keep: option.value === "" || option.selected }));
  }
  return Array.from(target.querySelectorAll("label"), (label) => ({ node: label, text: label.textContent,
    keep: label.querySelector("input").checked }));
}

document.addEventListener("input", (event) => {
  const filter = event.target;
  if (!filter.matches || !filter.matches(".picker-filter")) return;
  const target = document.getElementById(filter.dataset.picker);
  if (!target) return;
  const words = filter.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
  for (const entry of pickerEntries(target)) {
    const text = entry.text.toLowerCase();
    entry.node.hidden = !entry.keep && !words.every((w) => text.includes(w));
  }
});

// Desktop menu sections: opening one closes the others; a click elsewhere closes them all.
document.addEventListener("click", (event) => {
  for (const section of document.querySelectorAll("details.nav-section[open]")) {
    if (!section.contains(event.target)) section.removeAttribute("open");
  }
});

// A checkbox list says how many are ticked.
document.addEventListener("change", (event) => {
  const box = event.target;
  const list = box.closest && box.closest(".picker-list");
  if (!list) return;
  const count = document.querySelector(`[data-picker-count="${list.id}"]`);
  if (count) count.textContent = count.textContent.replace(/\d+/, list.querySelectorAll("input:checked").length);
});
