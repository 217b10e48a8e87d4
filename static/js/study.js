// Study timer: beats to the server while the page is visible; the server credits only the time
// it saw between beats (capped), so a hidden tab or a locked phone earns nothing.
(function () {
  "use strict";
  const meter = document.getElementById("study-meter");
  if (!meter) return;
  const url = meter.dataset.beatUrl;
  const every = (parseInt(meter.dataset.beatSeconds, 10) || 30) * 1000;
  const csrf = document.querySelector("#study-confirm input[name=csrf_token]").value;
  const button = document.getElementById("acknowledge");
  let timer = null;

  function show(state) {
    meter.querySelector("[data-credited]").textContent = state.credited;
    document.querySelectorAll("[data-remaining]").forEach((el) => { el.textContent = state.remaining; });
    document.querySelectorAll("[data-remaining-line]").forEach((el) => { el.hidden = state.may_confirm; });
    meter.querySelector("[data-ready-line]").hidden = !state.may_confirm;
    button.disabled = !state.may_confirm;
  }

  function beat(resumed) {
    const body = new URLSearchParams({ item: meter.dataset.item || "", resumed: resumed ? "1" : "0" });
    return fetch(url, {
      method: "POST", credentials: "same-origin", body: body,
      headers: { "X-CSRFToken": csrf, "Accept": "application/json" },
    }).then((r) => (r.ok ? r.json() : null)).then((state) => { if (state) show(state); return state; })
      .catch(() => null);
  }

  function run() {
    stop();
    if (document.visibilityState === "visible") timer = setInterval(() => beat(false), every);
  }
  function stop() { if (timer) clearInterval(timer); timer = null; }

  document.addEventListener("visibilitychange", () => {
    if (document.visibilityState === "visible") { beat(true); run(); } else { stop(); }
  });
  window.anzhiStudy = { beat: beat };
  beat(true);
  run();
})();
