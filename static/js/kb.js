// Knowledge base: submit a listing's filter form as soon as a select changes (works without JS too).
document.querySelectorAll("form.kb-filters select").forEach((select) => {
  select.addEventListener("change", () => select.form.requestSubmit());
});

// Editor: upload an image and insert its Markdown at the cursor (图文并茂). Without JS the field stays hidden.
document.querySelectorAll("[data-image-upload]").forEach((box) => {
  const input = box.querySelector("input[type=file]");
  const status = box.querySelector("[data-image-status]");
  const target = document.getElementById(box.dataset.target);
  const token = document.querySelector("input[name=csrf_token]");
  if (!input || !target || !token) return;
  box.hidden = false;
  input.addEventListener("change", async () => {
    if (!input.files.length) return;
    const body = new FormData();
    body.append("image", input.files[0]);
    body.append("csrf_token", token.value);
    status.textContent = "上传中…";
    const response = await fetch(box.dataset.imageUpload, {method: "POST", body, headers: {Accept: "application/json"}});
    const data = await response.json().catch(() => ({error: "上传失败，请重试。"}));
    if (!response.ok) { status.textContent = data.error || "上传失败，请重试。"; return; }
    const at = target.selectionStart ?? target.value.length;
    target.value = target.value.slice(0, at) + "\n" + data.markdown + "\n" + target.value.slice(at);
    status.textContent = "已插入：" + data.markdown;
    input.value = "";
  });
});
