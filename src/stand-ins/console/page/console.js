// The local console's client: renders what the app posted (Block Kit, mrkdwn) and turns clicks
// into console requests, which the server signs and sends to the app as Slack would.
// Plain browser JavaScript, no build step. Text from the app is always escaped before display.
"use strict";

(function () {
  const EMOJI = {
    white_check_mark: "✅", warning: "⚠️", no_entry: "⛔", hourglass_flowing_sand: "⏳", gear: "⚙️", x: "❌",
    alarm_clock: "⏰", leftwards_arrow_with_hook: "↩️", information_source: "ℹ️", heavy_check_mark: "✔️",
    rotating_light: "🚨", lock: "🔒", link: "🔗", mag: "🔍", memo: "📝", hourglass: "⌛", arrows_counterclockwise: "🔄",
    large_green_circle: "🟢", red_circle: "🔴", large_yellow_circle: "🟡", stop_sign: "🛑", tada: "🎉", wave: "👋",
    clipboard: "📋", bust_in_silhouette: "👤", heavy_minus_sign: "➖", no_entry_sign: "🚫", package: "📦", email: "📧",
  };

  const ui = {
    identity: document.getElementById("identity"),
    identityRole: document.getElementById("identity-role"),
    navHome: document.getElementById("nav-home"),
    navChannels: document.getElementById("nav-channels"),
    title: document.getElementById("view-title"),
    topic: document.getElementById("view-topic"),
    tabs: document.getElementById("view-tabs"),
    timeline: document.getElementById("timeline"),
    composer: document.getElementById("composer"),
    command: document.getElementById("command"),
    hint: document.getElementById("composer-hint"),
    confirmLayer: document.getElementById("confirm-layer"),
    modalLayer: document.getElementById("modal-layer"),
    toast: document.getElementById("toast"),
  };
  const HINT = ui.hint.innerHTML;

  const session = {
    me: localStorage.getItem("console.me") || "U0OLIVIA",
    view: localStorage.getItem("console.view") || "C0OFFBOARD",
    state: null,
    version: -1,
    poller: null,
    shownModal: null,
    seenSeq: {},
  };

  // ---------- text ----------

  function esc(text) {
    return String(text).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;").replace(/'/g, "&#39;");
  }

  /** Slack escapes &, < and > in message text; undo that before escaping for HTML. */
  function decode(text) {
    return String(text).replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
  }

  function emoji(html) {
    return html.replace(/:([a-z0-9_+-]+):/g, (whole, name) => EMOJI[name] || whole);
  }

  function userName(id) {
    const state = session.state;
    if (state && state.bot.id === id) return state.bot.name;
    const user = state && state.users.find((u) => u.id === id);
    return user ? user.realName : id;
  }

  function channelName(id) {
    const channel = session.state && session.state.channels.find((c) => c.id === id);
    return channel ? channel.name : id;
  }

  /** One <…> token: a user or channel mention, a special mention, or a link. */
  function special(inner) {
    const [target, label] = splitOnce(inner, "|");
    if (target.startsWith("@")) return `<span class="mention">@${esc(userName(target.slice(1)))}</span>`;
    if (target.startsWith("#")) return `<span class="mention">#${esc(label || channelName(target.slice(1)))}</span>`;
    if (target.startsWith("!")) {
      if (label) return esc(decode(label));
      return `<span class="mention">@${esc(target.slice(1).split("^")[0])}</span>`;
    }
    const url = decode(target);
    const text = esc(decode(label || target));
    // only web and mail links become links; anything else (javascript:, data:) stays text
    if (!/^(https?:|mailto:)/i.test(url)) return text;
    return `<a href="${esc(url)}" target="_blank" rel="noopener noreferrer">${text}</a>`;
  }

  function splitOnce(text, separator) {
    const at = text.indexOf(separator);
    return at < 0 ? [text, ""] : [text.slice(0, at), text.slice(at + 1)];
  }

  /** Slack's mrkdwn to safe HTML: code, <tokens>, *bold*, _italic_, ~strike~, emoji, line breaks. */
  function mrkdwn(text) {
    const slots = [];
    const hold = (html) => `\u0000${slots.push(html) - 1}\u0000`;
    let s = String(text).replace(/\u0000/g, "");
    s = s.replace(/```([\s\S]+?)```/g, (_, code) => hold(`<pre class="code-block">${esc(decode(code))}</pre>`));
    s = s.replace(/`([^`\n]+)`/g, (_, code) => hold(`<code>${esc(decode(code))}</code>`));
    s = s.replace(/<([^<>\n]+)>/g, (_, inner) => hold(special(inner)));
    s = esc(decode(s));
    s = s.replace(/(^|[^\w*])\*(?!\s)([^*\n]+?)\*(?!\w)/g, "$1<b>$2</b>");
    s = s.replace(/(^|[^\w_])_(?!\s)([^_\n]+?)_(?!\w)/g, "$1<i>$2</i>");
    s = s.replace(/(^|[^\w~])~(?!\s)([^~\n]+?)~(?!\w)/g, "$1<s>$2</s>");
    s = emoji(s).replace(/\n/g, "<br>");
    return s.replace(/\u0000(\d+)\u0000/g, (_, index) => slots[Number(index)]);
  }

  function textObject(object) {
    if (!object) return "";
    return object.type === "mrkdwn" ? mrkdwn(object.text) : emoji(esc(object.text));
  }

  // ---------- DOM helpers ----------

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(attrs || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "html") node.innerHTML = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children || []) if (child) node.append(child);
    return node;
  }

  function toast(message) {
    ui.toast.textContent = message;
    ui.toast.hidden = false;
    clearTimeout(toast.timer);
    toast.timer = setTimeout(() => (ui.toast.hidden = true), 4000);
  }

  // ---------- talking to the console server ----------

  async function post(path, body) {
    const response = await fetch(`/console/api/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
    const answer = await response.json().catch(() => ({ ok: false, error: `HTTP ${response.status}` }));
    if (!response.ok || (answer.ok === false && !answer.errors)) toast(answer.error || `The console answered ${response.status}`);
    return answer;
  }

  async function pollLoop() {
    const controller = new AbortController();
    session.poller = controller;
    while (!controller.signal.aborted) {
      try {
        const response = await fetch(`/console/api/state?user=${encodeURIComponent(session.me)}&since=${session.version}`, { signal: controller.signal });
        if (!response.ok) throw new Error(`HTTP ${response.status}`);
        const state = await response.json();
        if (controller.signal.aborted || state.me !== session.me) continue;
        session.state = state;
        session.version = state.version;
        render();
      } catch (error) {
        if (controller.signal.aborted) return;
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  function restartPolling() {
    if (session.poller) session.poller.abort();
    session.version = -1;
    void pollLoop();
  }

  // ---------- Block Kit ----------

  /** `where` says which surface a button is on: {kind:"message",channel,ts} | {kind:"ephemeral",id} | {kind:"home"}. */
  function renderButton(button, where) {
    const classes = ["sbtn", button.style === "primary" ? "primary" : "", button.style === "danger" ? "danger" : ""].filter(Boolean).join(" ");
    const node = el("button", { type: "button", class: classes, "data-action-id": button.action_id, html: textObject(button.text) });
    if (button.url) {
      node.addEventListener("click", () => window.open(button.url, "_blank", "noopener"));
      return node;
    }
    node.addEventListener("click", () => {
      const press = () => pressButton(node, button, where);
      if (button.confirm) showConfirm(button.confirm, press);
      else void press();
    });
    return node;
  }

  async function pressButton(node, button, where) {
    node.disabled = true;
    try {
      await post("action", { user: session.me, surface: where, actionId: button.action_id, value: button.value || "" });
    } finally {
      node.disabled = false;
    }
  }

  function renderBlocks(blocks, where) {
    const container = el("div", { class: "blocks" });
    for (const block of blocks) container.append(renderBlock(block, where));
    return container;
  }

  function renderBlock(block, where) {
    switch (block && block.type) {
      case "header":
        return el("div", { class: "b-header", html: textObject(block.text) });
      case "section": {
        const body = el("div", { class: "b-section-body" });
        if (block.text) body.append(el("div", { class: "b-text", html: textObject(block.text) }));
        if (Array.isArray(block.fields) && block.fields.length > 0) {
          body.append(el("div", { class: "b-fields" }, block.fields.map((field) => el("div", { class: "b-field", html: textObject(field) }))));
        }
        const accessory = block.accessory && block.accessory.type === "button" ? el("div", { class: "b-accessory" }, [renderButton(block.accessory, where)]) : null;
        return el("div", { class: "b-section" }, [body, accessory]);
      }
      case "context":
        return el("div", { class: "b-context" }, (block.elements || []).map((element) => el("span", { html: element.type === "image" ? "" : textObject(element) })));
      case "divider":
        return el("hr", { class: "b-divider" });
      case "actions":
        return el("div", { class: "b-actions" }, (block.elements || []).filter((e) => e.type === "button").map((button) => renderButton(button, where)));
      case "input":
        return renderInput(block);
      default:
        return el("div", { class: "b-unknown", text: `[a ${block && block.type} block, which the console does not draw]` });
    }
  }

  function renderInput(block) {
    const element = block.element || {};
    const id = `input-${block.block_id}`;
    const attrs = { id, name: block.block_id, "data-block-id": block.block_id, placeholder: element.placeholder ? element.placeholder.text : undefined, maxlength: element.max_length };
    const field = element.multiline ? el("textarea", attrs) : el("input", { ...attrs, type: "text" });
    return el("div", { class: "b-input", "data-block-id": block.block_id }, [
      el("label", { for: id, html: textObject(block.label) }),
      field,
      el("div", { class: "b-input-error", role: "alert", hidden: true }),
    ]);
  }

  // ---------- confirm dialogs and modals ----------

  function showConfirm(confirm, onConfirm) {
    const close = () => {
      ui.confirmLayer.hidden = true;
      ui.confirmLayer.replaceChildren();
    };
    const yesClass = confirm.style === "danger" ? "sbtn danger-solid" : "sbtn primary";
    const dialog = el("div", { class: "dialog", role: "alertdialog", "aria-modal": "true", "aria-labelledby": "confirm-title" }, [
      el("div", { class: "dialog-head" }, [el("h2", { id: "confirm-title", html: textObject(confirm.title) })]),
      el("div", { class: "dialog-body", html: textObject(confirm.text) }),
      el("div", { class: "dialog-foot" }, [
        el("button", { type: "button", class: "sbtn", html: textObject(confirm.deny || { type: "plain_text", text: "Cancel" }), onclick: close }),
        el("button", {
          type: "button",
          class: yesClass,
          html: textObject(confirm.confirm || { type: "plain_text", text: "Yes" }),
          onclick: () => {
            close();
            void onConfirm();
          },
        }),
      ]),
    ]);
    ui.confirmLayer.replaceChildren(dialog);
    ui.confirmLayer.hidden = false;
    dialog.querySelector(".dialog-foot .sbtn:last-child").focus();
  }

  /** Shows the app's open modal; left alone while it stays the same, so typing is not lost. */
  function renderModal(modal) {
    if (!modal) {
      session.shownModal = null;
      ui.modalLayer.hidden = true;
      ui.modalLayer.replaceChildren();
      return;
    }
    if (session.shownModal === modal.id) return;
    session.shownModal = modal.id;
    const view = modal.view;
    const form = el("form", { class: "dialog", role: "dialog", "aria-modal": "true", "aria-labelledby": "modal-title", novalidate: true });
    const closeModal = () => void post("modal-close", { user: session.me, modalId: modal.id }).then(() => renderModal(null));
    form.append(
      el("div", { class: "dialog-head" }, [
        el("h2", { id: "modal-title", html: textObject(view.title) }),
        el("button", { type: "button", class: "dialog-x", "aria-label": "Close", text: "×", onclick: closeModal }),
      ]),
      el("div", { class: "dialog-body" }, [renderBlocks(view.blocks || [], null)]),
      el("div", { class: "dialog-foot" }, [
        el("button", { type: "button", class: "sbtn", html: textObject(view.close || { type: "plain_text", text: "Cancel" }), onclick: closeModal }),
        view.submit ? el("button", { type: "submit", class: "sbtn primary", html: textObject(view.submit) }) : null,
      ]),
    );
    form.addEventListener("submit", (event) => {
      event.preventDefault();
      void submitModal(form, modal);
    });
    ui.modalLayer.replaceChildren(form);
    ui.modalLayer.hidden = false;
    const first = form.querySelector("textarea, input");
    if (first) first.focus();
  }

  function showInputErrors(form, errors) {
    for (const wrapper of form.querySelectorAll(".b-input")) {
      const message = errors[wrapper.dataset.blockId];
      const slot = wrapper.querySelector(".b-input-error");
      wrapper.classList.toggle("invalid", Boolean(message));
      slot.hidden = !message;
      slot.textContent = message || "";
    }
  }

  async function submitModal(form, modal) {
    const values = {};
    const local = {};
    for (const block of modal.view.blocks || []) {
      if (block.type !== "input") continue;
      const field = form.querySelector(`[data-block-id="${CSS.escape(block.block_id)}"] textarea, [data-block-id="${CSS.escape(block.block_id)}"] input`);
      const value = field ? field.value : "";
      values[block.block_id] = value;
      // Slack's client checks these before the app ever sees the submission
      const element = block.element || {};
      if (!block.optional && value.trim() === "") local[block.block_id] = "Please fill out this field.";
      else if (element.min_length && value.length < element.min_length) local[block.block_id] = `Must have at least ${element.min_length} characters`;
      else if (element.max_length && value.length > element.max_length) local[block.block_id] = `Must have at most ${element.max_length} characters`;
    }
    if (Object.keys(local).length > 0) return showInputErrors(form, local);
    const submit = form.querySelector("button[type=submit]");
    submit.disabled = true;
    const answer = await post("view-submission", { user: session.me, modalId: modal.id, values }).finally(() => (submit.disabled = false));
    if (answer.errors) return showInputErrors(form, answer.errors);
    if (answer.ok) renderModal(null);
  }

  // ---------- the timeline ----------

  function messageNode(message, where, options) {
    const body = el("div", { class: "msg-body" }, [
      options.ephemeral ? el("div", { class: "only-you", text: "Only visible to you" }) : null,
      el("div", { class: "msg-head" }, [
        el("span", { class: "msg-author", text: session.state.bot.name }),
        el("span", { class: "app-badge", text: "APP" }),
        message.edited ? el("span", { class: "edited", text: "(edited)" }) : null,
      ]),
      message.blocks && message.blocks.length > 0 ? renderBlocks(message.blocks, where) : el("div", { class: "msg-text", html: mrkdwn(message.text) }),
    ]);
    if (message.replies && message.replies.length > 0) {
      body.append(
        el("div", { class: "thread" }, [
          el("div", { class: "thread-title", text: `${message.replies.length} ${message.replies.length === 1 ? "reply" : "replies"}` }),
          ...message.replies.map((reply) => messageNode(reply, { kind: "message", channel: where.channel, ts: reply.ts }, {})),
        ]),
      );
    }
    return el("div", { class: options.ephemeral ? "msg ephemeral" : "msg", "data-ts": message.ts, "data-seq": message.seq }, [el("div", { class: "avatar", text: "RO" }), body]);
  }

  function renderChannel(channel) {
    const items = [
      ...channel.messages.map((m) => ({ seq: m.seq, node: () => messageNode(m, { kind: "message", channel: channel.id, ts: m.ts }, {}) })),
      ...channel.ephemerals.map((e) => ({ seq: e.seq, node: () => messageNode(e, { kind: "ephemeral", id: e.id }, { ephemeral: true }) })),
    ].sort((a, b) => a.seq - b.seq);
    if (items.length === 0) return [el("div", { class: "empty", html: `This is the very beginning of <b>#${esc(channel.name)}</b>.` })];
    return items.map((item) => item.node());
  }

  function latestSeq(channel) {
    let max = 0;
    for (const m of channel.messages) max = Math.max(max, m.seq, ...(m.replies || []).map((r) => r.seq));
    for (const e of channel.ephemerals) max = Math.max(max, e.seq);
    return max;
  }

  function render() {
    const state = session.state;
    if (!state) return;
    const me = state.users.find((u) => u.id === session.me);
    ui.identityRole.textContent = me ? me.title : "";
    const atBottom = ui.timeline.scrollHeight - ui.timeline.scrollTop - ui.timeline.clientHeight < 80;

    ui.navChannels.replaceChildren(
      ...state.channels.map((channel) => {
        const latest = latestSeq(channel);
        if (session.view === channel.id) session.seenSeq[channel.id] = latest;
        const unread = latest > (session.seenSeq[channel.id] || 0);
        return el("button", { type: "button", class: `nav-item${session.view === channel.id ? " active" : ""}${unread ? " unread" : ""}`, "data-view": channel.id, onclick: () => switchView(channel.id) }, [
          el("span", { class: "nav-icon", text: "#" }),
          document.createTextNode(channel.name),
        ]);
      }),
    );
    ui.navHome.classList.toggle("active", session.view === "home");

    if (session.view === "home") {
      ui.title.textContent = state.bot.name;
      ui.topic.textContent = "";
      ui.tabs.hidden = false;
      ui.composer.hidden = true;
      ui.timeline.replaceChildren(state.home ? el("div", { class: "msg home" }, [el("div", { class: "avatar", text: "RO" }), renderBlocks(state.home.blocks, { kind: "home" })]) : el("div", { class: "empty", text: "Loading the Home tab…" }));
    } else {
      const channel = state.channels.find((c) => c.id === session.view) || state.channels[0];
      ui.title.textContent = `# ${channel.name}`;
      ui.topic.textContent = channel.id === "C0OFFBOARD" ? "Where operators run /offboard" : "Where approvers decide on removals";
      ui.tabs.hidden = true;
      ui.composer.hidden = false;
      ui.timeline.replaceChildren(...renderChannel(channel));
    }
    if (atBottom) ui.timeline.scrollTop = ui.timeline.scrollHeight;
    renderModal(state.modal);
  }

  function switchView(view) {
    session.view = view;
    localStorage.setItem("console.view", view);
    ui.command.placeholder = view === "home" ? "" : `Message #${channelName(view)} (slash commands only)`;
    if (view === "home") void post("home-opened", { user: session.me });
    render();
    if (view !== "home") ui.timeline.scrollTop = ui.timeline.scrollHeight;
  }

  // ---------- wiring ----------

  async function boot() {
    const first = await fetch(`/console/api/state?user=${encodeURIComponent(session.me)}&since=-1`).then((r) => (r.ok ? r.json() : null)).catch(() => null);
    const users = first ? first.users : [];
    if (!users.some((u) => u.id === session.me) && users[0]) session.me = users[0].id;
    ui.identity.replaceChildren(...users.map((u) => el("option", { value: u.id, text: `${u.realName} (${u.role})` })));
    ui.identity.value = session.me;
    ui.identity.addEventListener("change", () => {
      session.me = ui.identity.value;
      localStorage.setItem("console.me", session.me);
      session.shownModal = null;
      renderModal(null);
      if (session.view === "home") void post("home-opened", { user: session.me });
      restartPolling();
    });
    ui.navHome.addEventListener("click", () => switchView("home"));
    ui.composer.addEventListener("submit", (event) => {
      event.preventDefault();
      void sendCommand();
    });
    session.state = first;
    switchView(session.view === "home" || ["C0OFFBOARD", "C0APPROVALS"].includes(session.view) ? session.view : "C0OFFBOARD");
    restartPolling();
  }

  async function sendCommand() {
    const text = ui.command.value.trim();
    if (!text) return;
    if (!/^\/offboard(\s|$)/.test(text)) {
      ui.hint.classList.add("error");
      ui.hint.innerHTML = text.startsWith("/")
        ? `<b>${esc(text.split(/\s/)[0])}</b> is not a valid command here. Only <code>/offboard</code> is installed.`
        : "Only slash commands reach the app here. Start with <code>/offboard</code>.";
      return;
    }
    ui.hint.classList.remove("error");
    ui.hint.innerHTML = HINT;
    const answer = await post("command", { user: session.me, channel: session.view, text });
    if (answer.ok) ui.command.value = "";
  }

  void boot();
})();
