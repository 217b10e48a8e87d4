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
