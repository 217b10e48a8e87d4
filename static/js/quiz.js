// The attempt page: server-timed countdown, autosave of every answer, nothing lost offline.
// The page never holds an answer key; option values are opaque per-attempt ids.
(() => {
  "use strict";
  const form = document.getElementById("quiz-form");
  if (!form) return;
  const messages = document.getElementById("quiz-messages").dataset;
  const statusEl = document.getElementById("quiz-status");
  const timerEl = document.getElementById("quiz-timer");
  const revisionInput = document.getElementById("quiz-revision");
  const csrf = form.querySelector("input[name=csrf_token]").value;
  const saveUrl = form.dataset.saveUrl;
  const storeKey = "anzhi-quiz-" + form.dataset.attempt;
  let revision = parseInt(revisionInput.value, 10) || 0;
  let pending = {};
  let inflight = false;
  let retryTimer = null;
  let submitting = false;

  const say = (text) => { statusEl.textContent = text; };
  const persist = () => {
    try { window.localStorage.setItem(storeKey, JSON.stringify(pending)); } catch (e) { /* private mode */ }
  };
  const choiceOf = (fieldset) =>
    Array.from(fieldset.querySelectorAll("input:checked")).map((input) => input.value);
  const fieldsetOf = (item) => form.querySelector('fieldset[data-item="' + item + '"]');
  const show = (item, choice) => {
    const fieldset = fieldsetOf(item);
    if (!fieldset) return;
    fieldset.querySelectorAll("input").forEach((input) => { input.checked = choice.includes(input.value); });
  };
  const countUnanswered = () => {
    const open = Array.from(form.querySelectorAll("fieldset[data-item]")).filter((f) => !choiceOf(f).length);
    document.getElementById("quiz-left").textContent =
      open.length ? messages.left.replace("{n}", open.length) : "";
  };

  function scheduleRetry() {
    if (retryTimer) return;
    retryTimer = window.setTimeout(() => { retryTimer = null; flush(); }, 3000);
  }

  function flush() {
    if (inflight) return Promise.resolve();
    const items = Object.keys(pending);
    if (!items.length) return Promise.resolve();
    const item = items[0];
    const choice = pending[item];
    inflight = true;
    say(messages.saving);
    return fetch(saveUrl, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf, "Accept": "application/json" },
      body: JSON.stringify({ item: item, choice: choice, revision: revision }),
    }).then((response) => response.json().then((body) => ({ status: response.status, body: body })))
      .then(({ status, body }) => {
        inflight = false;
        if (status === 200) {
          revision = body.revision;
          revisionInput.value = revision;
          if (JSON.stringify(pending[item]) === JSON.stringify(choice)) delete pending[item];
          persist();
          say(messages.saved);
        } else if (status === 409) {
          // Another tab or an older request moved the attempt on: take the saved state,
          // keep the choices made here that are not saved yet, and send them again.
          revision = body.revision;
          revisionInput.value = revision;
          Object.keys(body.answers).forEach((key) => { if (!(key in pending)) show(key, body.answers[key]); });
          say(messages.synced);
        } else if (status === 410) {
          pending = {};
          persist();
          say(messages.closed);
          window.location.assign(body.result_url);
          return;
        } else {
          throw new Error("status " + status);
        }
        countUnanswered();
        return flush();
      })
      .catch(() => {
        inflight = false;
        say(messages.offline);
        scheduleRetry();
      });
  }

  form.addEventListener("change", (event) => {
    const fieldset = event.target.closest("fieldset[data-item]");
    if (!fieldset) return;
    pending[fieldset.dataset.item] = choiceOf(fieldset);
    persist();
    countUnanswered();
    flush();
  });

  // Submit with fetch and send it again until the server answers: the submit is idempotent (a
  // repeat changes nothing), so a dropped connection or a crashed worker costs a retry, not the
  // paper. A refusal the server explains (the form expired, the attempt is not yours) is shown by
  // posting the form itself; without script the form posts as it always did.
  let submitTries = 0;
  let submitTimer = null;
  function sendSubmit() {
    submitTimer = null;
    return fetch(form.action, {
      method: "POST", credentials: "same-origin", body: new FormData(form), headers: { "Accept": "text/html" },
    }).then((response) => {
      if (response.ok) {
        window.localStorage.removeItem(storeKey);
        window.location.assign(response.url);
      } else if (response.status >= 500 || response.status === 429) {
        throw new Error("status " + response.status);
      } else {
        form.submit();
      }
    }).catch(() => {
      submitTries += 1;
      say(messages.resubmitting);
      submitTimer = window.setTimeout(sendSubmit, Math.min(500 * 2 ** submitTries, 8000));
    });
  }
  window.addEventListener("online", () => {
    if (submitTimer) { window.clearTimeout(submitTimer); sendSubmit(); }
  });

  form.addEventListener("submit", (event) => {
    if (submitting) { event.preventDefault(); return; }
    if (!timeUp && !window.confirm(messages.confirm)) { event.preventDefault(); event.stopImmediatePropagation(); return; }
    if (!window.fetch || !window.FormData) return;  // the plain form post
    submitting = true;
    event.preventDefault();
    say(messages.submitting);
    // Send what is still pending first, so the submit carries the current revision.
    Promise.race([flush(), new Promise((resolve) => window.setTimeout(resolve, 4000))]).then(sendSubmit, sendSubmit);
  });

  // Countdown from the server's remaining seconds; the client's clock only measures elapsed time.
  const endsAt = Date.now() + parseInt(timerEl.dataset.remaining, 10) * 1000;
  let timeUp = false;
  function tick() {
    const left = Math.max(0, Math.round((endsAt - Date.now()) / 1000));
    const minutes = Math.floor(left / 60);
    const seconds = left % 60;
    timerEl.textContent = minutes + ":" + String(seconds).padStart(2, "0");
    timerEl.classList.toggle("is-low", left <= 300);
    if (left === 0 && !timeUp) {
      timeUp = true;
      say(messages.timeup);
      form.requestSubmit();
      return;
    }
    window.setTimeout(tick, 500);
  }

  // Restore choices made here that the server has not seen (refresh while offline).
  try {
    const saved = JSON.parse(window.localStorage.getItem(storeKey) || "{}");
    Object.keys(saved).forEach((item) => {
      if (fieldsetOf(item)) { pending[item] = saved[item]; show(item, saved[item]); }
    });
  } catch (e) { pending = {}; }
  window.addEventListener("online", flush);
  document.addEventListener("visibilitychange", () => { if (!document.hidden) flush(); });
  window.addEventListener("pageshow", (event) => { if (event.persisted) window.location.reload(); });
  countUnanswered();
  tick();
  flush();
})();
