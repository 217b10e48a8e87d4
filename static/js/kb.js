// Knowledge base: submit a listing's filter form as soon as a select changes (works without JS too).
document.querySelectorAll("form.kb-filters select").forEach((select) => {
  select.addEventListener("change", () => select.form.requestSubmit());
});
