// @ts-check
// The local console's client: who you are, which channel you look at, the long poll of what the
// app posted, and the composer. Drawing is in the modules it imports; every click becomes a
// console request, which the server signs and sends to the app as Slack would.
// Browser JavaScript modules, no build step; tsc checks them through the JSDoc types.
import { fetchState, post } from "./console-api.js";
import { byId, el } from "./dom.js";
import { esc } from "./mrkdwn.js";
import { renderModal } from "./modal.js";
import { latestSeq, renderChannel, renderHome } from "./timeline.js";

/** @typedef {import("../console-state").ConsoleState} ConsoleState */
/** @typedef {import("./block-kit.js").DrawContext} DrawContext */

const OFFBOARD = "C0OFFBOARD";

const ui = {
  identity: byId("identity", HTMLSelectElement),
  identityRole: byId("identity-role", HTMLDivElement),
  navHome: byId("nav-home", HTMLButtonElement),
  navChannels: byId("nav-channels", HTMLDivElement),
  navDms: byId("nav-dms", HTMLDivElement),
  slackErrors: byId("slack-errors", HTMLDivElement),
  title: byId("view-title", HTMLHeadingElement),
  topic: byId("view-topic", HTMLDivElement),
  tabs: byId("view-tabs", HTMLDivElement),
  timeline: byId("timeline", HTMLElement),
  composer: byId("composer", HTMLFormElement),
  command: byId("command", HTMLInputElement),
  hint: byId("composer-hint", HTMLDivElement),
};
const HINT = ui.hint.innerHTML;

const session = {
  me: localStorage.getItem("console.me") || "U0OLIVIA",
  view: localStorage.getItem("console.view") || OFFBOARD,
  /** @type {ConsoleState | null} */
  state: null,
  version: -1,
  /** @type {AbortController | null} */
  poller: null,
  /** @type {Record<string, number>} channel id → the newest arrival seen there */
  seenSeq: {},
};

/** @type {DrawContext} */
const context = {
  names: {
    user(id) {
      const state = session.state;
      if (state && state.bot.id === id) return state.bot.name;
      const user = state && state.users.find((u) => u.id === id);
      return user ? user.realName : id;
    },
    channel(id) {
      const channel = session.state && session.state.channels.find((c) => c.id === id);
      if (!channel) return id;
      return channel.kind === "dm" ? channel.name : `#${channel.name}`;
    },
  },
  press: (button, where, ticks) => post("action", { user: session.me, surface: where, actionId: button.action_id, value: button.value || "", ticks }),
};

async function pollLoop() {
  const controller = new AbortController();
  session.poller = controller;
  while (!controller.signal.aborted) {
    try {
      const state = await fetchState(session.me, session.version, controller.signal);
      if (controller.signal.aborted || state.me !== session.me) continue;
      session.state = state;
      session.version = state.version;
      render();
    } catch {
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

function render() {
  const state = session.state;
  if (!state) return;
  const me = state.users.find((u) => u.id === session.me);
  ui.identityRole.textContent = me ? me.title : "";
  const atBottom = ui.timeline.scrollHeight - ui.timeline.scrollTop - ui.timeline.clientHeight < 80;

  /** @param {import("../console-state").ConsoleChannel} channel */
  const navItem = (channel) => {
    const latest = latestSeq(channel);
    if (session.view === channel.id) session.seenSeq[channel.id] = latest;
    const unread = latest > (session.seenSeq[channel.id] || 0);
    return el("button", { type: "button", class: `nav-item${session.view === channel.id ? " active" : ""}${unread ? " unread" : ""}`, "data-view": channel.id, onclick: () => switchView(channel.id) }, [
      el("span", { class: "nav-icon", text: channel.kind === "dm" ? "●" : "#" }),
      document.createTextNode(channel.name),
    ]);
  };
  ui.navChannels.replaceChildren(...state.channels.filter((c) => c.kind === "channel").map(navItem));
  ui.navDms.replaceChildren(...state.channels.filter((c) => c.kind === "dm").map(navItem));
  // what Slack refused the app, as a developer would find it in the app's logs
  ui.slackErrors.hidden = state.slackErrors.length === 0;
  ui.slackErrors.replaceChildren(
    ...state.slackErrors.map((e) =>
      el("div", { class: "slack-error" }, [
        el("span", { text: "Slack answered " }),
        el("code", { text: e.error }),
        el("span", { text: ` to ${e.method}${e.channel ? ` in ${context.names.channel(e.channel)}` : ""}` }),
      ]),
    ),
  );
  ui.navHome.classList.toggle("active", session.view === "home");

  const channel = state.channels.find((c) => c.id === session.view) || state.channels[0];
  if (session.view === "home" || !channel) {
    ui.title.textContent = state.bot.name;
    ui.topic.textContent = "";
    ui.tabs.hidden = false;
    ui.composer.hidden = true;
    ui.timeline.replaceChildren(renderHome(state.home, context));
  } else {
    ui.title.textContent = channel.kind === "dm" ? channel.name : `# ${channel.name}`;
    ui.topic.textContent = channel.topic;
    ui.tabs.hidden = true;
    ui.composer.hidden = false;
    ui.timeline.replaceChildren(...renderChannel(channel, state.bot.name, context));
  }
  if (atBottom) ui.timeline.scrollTop = ui.timeline.scrollHeight;
  renderModal(state.modal, session.me, context);
}

/** @param {string} view a channel id, or "home" */
function switchView(view) {
  session.view = view;
  localStorage.setItem("console.view", view);
  ui.command.placeholder = view === "home" ? "" : `Message ${context.names.channel(view)} (slash commands only)`;
  if (view === "home") void post("home-opened", { user: session.me });
  render();
  if (view !== "home") ui.timeline.scrollTop = ui.timeline.scrollHeight;
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

async function boot() {
  const first = await fetchState(session.me, -1).catch(() => null);
  const users = first ? first.users : [];
  if (!users.some((u) => u.id === session.me) && users[0]) session.me = users[0].id;
  ui.identity.replaceChildren(...users.map((u) => el("option", { value: u.id, text: `${u.realName} (${u.role})` })));
  ui.identity.value = session.me;
  ui.identity.addEventListener("change", () => {
    session.me = ui.identity.value;
    localStorage.setItem("console.me", session.me);
    renderModal(null, session.me, context);
    if (session.view === "home") void post("home-opened", { user: session.me });
    restartPolling();
  });
  ui.navHome.addEventListener("click", () => switchView("home"));
  ui.composer.addEventListener("submit", (event) => {
    event.preventDefault();
    void sendCommand();
  });
  session.state = first;
  const known = session.view === "home" || (first ? first.channels : []).some((c) => c.id === session.view);
  switchView(known ? session.view : OFFBOARD);
  restartPolling();
}

void boot();
