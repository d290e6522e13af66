/*
 * Steward's browser SDK, served at /sdk.js. Include it first in <head>, before any tag it should gate:
 *
 *   <script src="https://privacy.example.com/sdk.js" data-jurisdiction="us_ca"></script>
 *   <script type="text/plain" data-purpose="session_replay" data-src="https://vendor.example/replay.js"></script>
 *
 * What it does, in order: reads navigator.globalPrivacyControl before anything else; installs the IAB GPP CMP API
 * (window.__gpp: ping, addEventListener, removeEventListener, hasSection, getSection, getField, getGPPData; and, for
 * scripts in frames, the `__gppLocator` frame and the `__gppCall`/`__gppReturn` messages); gives the
 * visitor a pseudonymous device id (localStorage); asks Steward for the decisions (a GPC signal is recorded there as
 * an opt-out of sale and sharing); loads the page's gated tags whose purpose is allowed; and shows the banner when a
 * purpose with a choice has none yet, and a bar about a material change to the notice until the day it applies.
 * `steward.decide(purpose)` answers from the latest decisions;
 * `steward.openPreferences()` opens the dialog; a `steward:change` event on window follows every change.
 *
 * No framework, no build step. Keyboard: Tab moves within the dialog (focus stays inside), Escape closes it.
 */
(() => {
  const gpcSignal = typeof navigator !== "undefined" && navigator.globalPrivacyControl === true;
  const script = document.currentScript;
  const base = script ? new URL(script.src, location.href).origin : location.origin;
  // Only the host page says where the visitor is (never the page's URL: a crafted link must not move anyone).
  const jurisdiction = script?.dataset.jurisdiction || "";
  const KEY = "steward.device";

  function deviceId() {
    let id = null;
    try {
      id = localStorage.getItem(KEY);
    } catch {
      id = null;
    }
    if (!id || !/^[A-Za-z0-9_-]{16,128}$/.test(id)) {
      const bytes = new Uint8Array(16);
      crypto.getRandomValues(bytes);
      id = `dev_${Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("")}`;
      try {
        localStorage.setItem(KEY, id);
      } catch {
        // Private mode: the id lasts for this page only.
      }
    }
    return id;
  }

  const subject = `device:${deviceId()}`;
  const state = { config: null, decisions: new Map(), gpp: { gpp: "", applicable_sections: [], sections: {} } };
  const listeners = new Map();
  let nextListener = 1;
  let cmpDisplayStatus = "hidden";
  let signalStatus = "not ready";

  async function api(path, body) {
    const response = await fetch(`${base}${path}`, {
      method: body ? "POST" : "GET",
      headers: body ? { "content-type": "application/json" } : {},
      body: body ? JSON.stringify(body) : undefined,
      credentials: "omit",
    });
    if (!response.ok) throw new Error(`Steward answered ${response.status}`);
    return response.json();
  }

  // ── IAB GPP CMP API ──────────────────────────────────────────────────────────────────────────────────────────────
  const SECTION_IDS = { usnat: 7, usca: 8, usva: 9, usco: 10, usut: 11, usct: 12 };

  function pingData() {
    return {
      gppVersion: "1.1",
      cmpStatus: "loaded",
      cmpDisplayStatus,
      signalStatus,
      supportedAPIs: Object.entries(SECTION_IDS).map(([name, id]) => `${id}:${name}`),
      cmpId: 0,
      sectionList: state.gpp.applicable_sections,
      applicableSections: state.gpp.applicable_sections.length ? state.gpp.applicable_sections : [-1],
      gppString: state.gpp.gpp,
      parsedSections: state.gpp.sections,
    };
  }

  function emit(eventName, data) {
    for (const [listenerId, callback] of listeners)
      callback({ eventName, listenerId, data, pingData: pingData() }, true);
  }

  const queued = Array.isArray(window.__gpp?.queue) ? window.__gpp.queue : [];
  const gpp = (command, callback, parameter) => {
    const done = typeof callback === "function" ? callback : () => {};
    switch (command) {
      case "ping":
        done(pingData(), true);
        return pingData();
      case "addEventListener": {
        const listenerId = nextListener++;
        listeners.set(listenerId, done);
        done({ eventName: "listenerRegistered", listenerId, data: true, pingData: pingData() }, true);
        return undefined;
      }
      case "removeEventListener": {
        const removed = listeners.delete(parameter);
        done(removed, removed);
        return removed;
      }
      case "hasSection": {
        const has = Boolean(state.gpp.sections[parameter]);
        done(has, true);
        return has;
      }
      case "getSection": {
        const section = state.gpp.sections[parameter] ?? null;
        done(section, section !== null);
        return section;
      }
      case "getField": {
        const [name, field] = String(parameter).split(".");
        const value = state.gpp.sections[name]?.[field] ?? null;
        done(value, value !== null);
        return value;
      }
      case "getGPPData": {
        const data = {
          sectionId: 3,
          gppVersion: 1,
          parsedSections: state.gpp.sections,
          applicableSections: pingData().applicableSections,
          gppString: state.gpp.gpp,
        };
        done(data, true);
        return data;
      }
      default:
        done(null, false);
        return null;
    }
  };
  window.__gpp = gpp;
  for (const args of queued) gpp(...args);

  // Scripts in frames (a vendor's ad or player) cannot call window.__gpp here: they look for the frame named
  // `__gppLocator` up their parents, post {__gppCall: {command, parameter, version, callId}} to the window that has it,
  // and get {__gppReturn: {returnValue, success, callId}} back — as a JSON text when they sent one (GPP CMP API 1.1).
  function addLocator() {
    if (window.frames.__gppLocator) return; // IAB's stub made it already
    const frame = document.createElement("iframe");
    frame.name = "__gppLocator";
    frame.title = "GPP locator";
    frame.hidden = true;
    frame.tabIndex = -1;
    frame.setAttribute("aria-hidden", "true");
    document.body.appendChild(frame);
  }
  if (document.body) addLocator();
  else document.addEventListener("DOMContentLoaded", addLocator, { once: true });

  window.addEventListener("message", (event) => {
    const text = typeof event.data === "string";
    let message = event.data;
    if (text)
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
    const call = message && typeof message === "object" ? message.__gppCall : undefined;
    if (!call || typeof call !== "object" || !event.source) return;
    gpp(
      call.command,
      (returnValue, success) => {
        const answer = { __gppReturn: { returnValue, success, callId: call.callId } };
        event.source.postMessage(text ? JSON.stringify(answer) : answer, "*");
      },
      call.parameter,
    );
  });

  // ── decisions and gated tags ─────────────────────────────────────────────────────────────────────────────────────
  function allowed(purpose) {
    return state.decisions.get(purpose)?.allowed === true;
  }

  function loadTags() {
    for (const tag of document.querySelectorAll('script[type="text/plain"][data-purpose]')) {
      if (tag.dataset.stewardLoaded || !allowed(tag.dataset.purpose)) continue;
      tag.dataset.stewardLoaded = "true";
      const real = document.createElement("script");
      for (const attr of tag.attributes)
        if (!["type", "data-purpose", "data-src", "data-steward-loaded", "nonce"].includes(attr.name))
          real.setAttribute(attr.name, attr.value);
      // Browsers hide a nonce from getAttribute; the property keeps it, so a nonce-based CSP still admits the tag.
      if (tag.nonce) real.nonce = tag.nonce;
      if (tag.dataset.src) real.src = tag.dataset.src;
      else real.textContent = tag.textContent;
      tag.after(real);
    }
  }

  async function refresh(extra = {}) {
    const answer = await api("/api/consent/decisions", {
      subject,
      ...(jurisdiction ? { jurisdiction } : {}),
      ...(gpcSignal ? { gpc: true } : {}),
      ...extra,
    });
    state.decisions = new Map(answer.decisions.map((d) => [d.purpose, d]));
    const params = new URLSearchParams({ subject, ...(jurisdiction ? { jurisdiction } : {}) });
    state.gpp = await api(`/api/consent/gpp?${params}`);
    signalStatus = "ready";
    loadTags();
    window.dispatchEvent(new CustomEvent("steward:change", { detail: { decisions: [...state.decisions.values()] } }));
    emit("signalStatus", "ready");
    return answer;
  }

  async function choose(choices, method) {
    for (const [purpose, yes] of choices) {
      await api("/api/consent/events", {
        subject,
        purpose,
        status: yes ? "granted" : "withdrawn",
        method,
        ...(jurisdiction ? { jurisdiction } : {}),
      });
    }
    await refresh();
    emit("sectionChange", "usnat");
  }

  // ── banner and preferences dialog ────────────────────────────────────────────────────────────────────────────────
  const CSS = `
.stw-banner{position:fixed;inset:auto 0 0 0;z-index:2147483000;background:#fff;color:#1a1a1a;border-top:1px solid #c9ccd1;
box-shadow:0 -4px 24px rgba(0,0,0,.12);font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:20px}
.stw-inner{max-width:1080px;margin:0 auto;display:flex;gap:16px 32px;align-items:center;flex-wrap:wrap}
.stw-text{flex:1 1 420px;margin:0}.stw-text h2{font-size:1.1rem;margin:0 0 4px}.stw-text p{margin:0}
.stw-actions{display:flex;gap:8px;flex-wrap:wrap}
.stw-btn{font:inherit;font-weight:600;border-radius:6px;padding:10px 18px;cursor:pointer;border:2px solid #0b57d0;
background:#0b57d0;color:#fff;min-height:44px}
.stw-btn.stw-secondary{background:#fff;color:#0b57d0}
.stw-btn:focus-visible,.stw-switch input:focus-visible+span,.stw-link:focus-visible{outline:3px solid #f9ab00;outline-offset:2px}
.stw-link{color:#0b57d0;text-decoration:underline}
.stw-gpc{margin:8px 0 0;padding:8px 12px;border-radius:6px;background:#e6f4ea;color:#0d652d;font-size:.95rem}
.stw-backdrop{position:fixed;inset:0;z-index:2147483001;background:rgba(0,0,0,.45);display:flex;align-items:center;
justify-content:center;padding:16px}
.stw-dialog{background:#fff;color:#1a1a1a;border-radius:12px;max-width:640px;width:100%;max-height:90vh;overflow:auto;
font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:24px;box-shadow:0 12px 48px rgba(0,0,0,.3)}
.stw-dialog h2{margin:0 0 8px;font-size:1.3rem}
.stw-purpose{display:flex;gap:16px;align-items:flex-start;justify-content:space-between;border-top:1px solid #e3e5e8;padding:14px 0}
.stw-purpose h3{font-size:1rem;margin:0 0 2px}.stw-purpose p{margin:0;color:#41454b;font-size:.95rem}
.stw-switch{position:relative;flex:0 0 auto;display:inline-flex;align-items:center;gap:8px;cursor:pointer}
.stw-switch input{position:absolute;opacity:0;width:52px;height:30px;margin:0;cursor:pointer}
.stw-switch span{display:inline-block;width:52px;height:30px;border-radius:15px;background:#6b7078;position:relative;transition:background .15s}
.stw-switch span::after{content:"";position:absolute;top:3px;left:3px;width:24px;height:24px;border-radius:50%;background:#fff;transition:left .15s}
.stw-switch input:checked+span{background:#0b57d0}.stw-switch input:checked+span::after{left:25px}
.stw-switch input:disabled+span{opacity:.6}
.stw-footer{display:flex;gap:8px;justify-content:flex-end;flex-wrap:wrap;margin:16px -24px -24px;padding:12px 24px;
position:sticky;bottom:-24px;background:#fff;border-top:1px solid #e3e5e8}
.stw-change{position:fixed;inset:0 0 auto 0;z-index:2147482999;background:#fef7e0;color:#1a1a1a;border-bottom:1px solid #e3c770;
font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;padding:12px 20px}
.stw-change h2{font-size:1rem;margin:0 0 2px}.stw-change ul{margin:4px 0;padding-left:20px}
.stw-change summary{cursor:pointer;margin:2px 0}.stw-change .stw-inner{gap:8px 32px}
@media (max-width:600px){.stw-banner{padding:16px}.stw-actions{width:100%}.stw-actions .stw-btn{flex:1 1 100%}}
`;

  function el(tag, attrs = {}, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs)) {
      if (k === "text") node.textContent = v;
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v);
    }
    for (const c of children) if (c) node.append(c);
    return node;
  }

  function purposesWithChoice() {
    return state.config?.purposes ?? [];
  }

  function undecided() {
    return purposesWithChoice().some((p) => {
      const code = state.decisions.get(p.key)?.code;
      // A consent a wider notice voided is asked for again, like one never given.
      return code === "default_opt_in" || code === "default_opt_out" || code === "reconsent_needed";
    });
  }

  function gpcNotice() {
    return gpcSignal
      ? el("p", {
          class: "stw-gpc",
          role: "status",
          text: "Your browser's Global Privacy Control signal was honoured: we do not sell or share your personal data or use it for targeted advertising.",
        })
      : null;
  }

  let banner = null;
  function closeBanner() {
    banner?.remove();
    banner = null;
    cmpDisplayStatus = "hidden";
    emit("cmpDisplayStatus", "hidden");
  }

  function showBanner() {
    if (banner) return;
    const org = state.config?.organization || "We";
    const all = (yes) => () =>
      choose(
        purposesWithChoice().map((p) => [p.key, yes && !(gpcSignal && p.sale_or_sharing)]),
        "banner",
      ).then(closeBanner);
    banner = el(
      "section",
      { class: "stw-banner", role: "region", "aria-label": "Privacy choices" },
      el(
        "div",
        { class: "stw-inner" },
        el(
          "div",
          { class: "stw-text" },
          el("h2", { text: "Your privacy choices" }),
          el(
            "p",
            {},
            `${org} uses your data for the purposes in our `,
            el("a", {
              class: "stw-link",
              href: `${base}${state.config?.notice_url ?? "/notice"}`,
              text: "privacy notice",
            }),
            ". Some of them are up to you: accept them, reject them, or choose one by one. You can change your mind at any time.",
          ),
          gpcNotice(),
        ),
        el(
          "div",
          { class: "stw-actions" },
          el("button", { class: "stw-btn", type: "button", text: "Accept all", onclick: all(true) }),
          el("button", { class: "stw-btn", type: "button", text: "Reject all", onclick: all(false) }),
          el("button", {
            class: "stw-btn stw-secondary",
            type: "button",
            text: "Choose",
            onclick: () => openPreferences(),
          }),
        ),
      ),
    );
    document.body.append(banner);
    cmpDisplayStatus = "visible";
    emit("cmpDisplayStatus", "visible");
  }

  // ── a material change to the notice, announced until the day it applies ─────────────────────────────────────────
  const SEEN = "steward.notice_change_seen";
  function showNoticeChange() {
    const change = state.config?.notice_change;
    if (!change) return;
    try {
      if (localStorage.getItem(SEEN) === change.version) return;
    } catch {
      // No storage: show it on every page until the day it applies.
    }
    const day = new Date(`${change.effective_date}T12:00:00Z`).toLocaleDateString(undefined, {
      day: "numeric",
      month: "long",
      year: "numeric",
    });
    const bar = el(
      "section",
      { class: "stw-change", role: "region", "aria-label": "Privacy notice change" },
      el(
        "div",
        { class: "stw-inner" },
        el(
          "div",
          { class: "stw-text" },
          el("h2", { text: `Our privacy notice changes on ${day}` }),
          el(
            "details",
            {},
            el("summary", { text: `What changes (${change.changes.length})` }),
            el("ul", {}, ...change.changes.map((c) => el("li", { text: c }))),
          ),
          el("a", { class: "stw-link", href: `${base}${change.url}`, text: "Read the new notice" }),
        ),
        el(
          "div",
          { class: "stw-actions" },
          el("button", {
            class: "stw-btn stw-secondary",
            type: "button",
            text: "Got it",
            onclick: () => {
              try {
                localStorage.setItem(SEEN, change.version);
              } catch {
                // Private mode: hidden for this page only.
              }
              bar.remove();
            },
          }),
        ),
      ),
    );
    document.body.append(bar);
  }

  function openPreferences() {
    const opener = document.activeElement;
    const toggles = new Map();
    const rows = purposesWithChoice().map((p) => {
      const id = `stw-p-${p.key}`;
      const blockedByGpc = gpcSignal && p.sale_or_sharing && !allowed(p.key);
      const input = el("input", { type: "checkbox", role: "switch", id, "aria-describedby": `${id}-d` });
      input.checked = allowed(p.key);
      toggles.set(p.key, input);
      return el(
        "div",
        { class: "stw-purpose" },
        el(
          "div",
          {},
          el("h3", {}, el("label", { for: id, text: p.name })),
          el("p", {
            id: `${id}-d`,
            text:
              p.description +
              (p.mechanism === "opt_in" ? " Only with your consent." : " On unless you switch it off.") +
              (blockedByGpc
                ? " Off because your browser sends Global Privacy Control; switch it on to opt back in."
                : ""),
          }),
        ),
        el("span", { class: "stw-switch" }, input, el("span", { "aria-hidden": "true" })),
      );
    });
    const close = () => {
      backdrop.remove();
      document.removeEventListener("keydown", onKey, true);
      if (opener instanceof HTMLElement) opener.focus();
    };
    const save = el("button", {
      class: "stw-btn",
      type: "button",
      text: "Save my choices",
      onclick: () =>
        choose(
          [...toggles].map(([k, input]) => [k, input.checked]),
          "preferences",
        ).then(() => {
          close();
          closeBanner();
        }),
    });
    const dialog = el(
      "div",
      { class: "stw-dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "stw-title", tabindex: "-1" },
      el("h2", { id: "stw-title", text: "Privacy choices" }),
      el("p", {
        text: "Switch on what you agree to. What the service needs to run, and what the law requires, is not up to choice and is explained in the privacy notice.",
      }),
      gpcNotice(),
      ...rows,
      el(
        "div",
        { class: "stw-footer" },
        el("button", { class: "stw-btn stw-secondary", type: "button", text: "Cancel", onclick: close }),
        save,
      ),
    );
    const backdrop = el("div", { class: "stw-backdrop" }, dialog);
    function onKey(event) {
      if (event.key === "Escape") {
        event.preventDefault();
        close();
        return;
      }
      if (event.key !== "Tab") return;
      const focusable = [...dialog.querySelectorAll("button, input, a[href]")].filter((n) => !n.disabled);
      const first = focusable[0];
      const last = focusable[focusable.length - 1];
      if (!dialog.contains(document.activeElement) || document.activeElement === dialog) {
        // Focus left the controls (a click on the backdrop or the dialog's own box): bring it back inside.
        event.preventDefault();
        (event.shiftKey ? last : first).focus();
      } else if (event.shiftKey && document.activeElement === first) {
        event.preventDefault();
        last.focus();
      } else if (!event.shiftKey && document.activeElement === last) {
        event.preventDefault();
        first.focus();
      }
    }
    document.addEventListener("keydown", onKey, true);
    document.body.append(backdrop);
    (toggles.values().next().value ?? save).focus();
  }

  window.steward = {
    subject,
    gpc: gpcSignal,
    decide: (purpose) => state.decisions.get(purpose) ?? null,
    openPreferences,
    refresh: () => refresh(),
    ready: null,
  };

  const start = async () => {
    const style = el("style", { text: CSS });
    document.head.append(style);
    const params = jurisdiction ? `?jurisdiction=${encodeURIComponent(jurisdiction)}` : "";
    state.config = await api(`/api/consent/config${params}`);
    await refresh();
    if (undecided()) {
      if (document.body) showBanner();
      else document.addEventListener("DOMContentLoaded", showBanner, { once: true });
    }
    showNoticeChange();
  };
  window.steward.ready = (
    document.readyState === "loading"
      ? new Promise((r) => document.addEventListener("DOMContentLoaded", r, { once: true }))
      : Promise.resolve()
  ).then(start);
})();
