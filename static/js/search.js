// Search page: filters apply as soon as a choice is made (the 筛选 button stays for no-JS).
document.addEventListener("DOMContentLoaded", () => {
  document.querySelectorAll("select.auto-submit").forEach((select) => {
    select.addEventListener("change", () => select.form.submit());
  });
  document.querySelectorAll(".no-js-only").forEach((el) => { el.hidden = true; });
});
