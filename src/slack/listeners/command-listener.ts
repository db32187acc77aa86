// /offboard: help, status, audit, relink, and opening a customer's case, with the picker's
// button for when several customers match. The case message is posted where the operator works.
import { performance } from "node:perf_hooks";
import type { App } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";
import type { Customer } from "../../domain";
import { metrics } from "../../metrics";
import type { CaseView } from "../../workflow";
import { escapeText } from "../blocks/block-kit";
import { caseMessage } from "../blocks/case-message";
import { auditMessage, helpMessage, pickerMessage, statusMessage } from "../blocks/info-messages";
import { scanStatusMessage } from "../blocks/scan-messages";
import { interactionKey } from "../interaction-jobs";
import { ACTIONS, customerValue, parseOffboardCommand } from "../slack-inputs";
import type { ButtonDispatcher } from "./button-dispatcher";
import { NOT_TAKEN, type Reply, ephemeral, refusalText } from "./replies";
import type { ListenerDeps } from "./listener-deps";

export function registerCommand(app: App, buttons: ButtonDispatcher, deps: ListenerDeps): void {
  const { workflow, directory, updater, interactions, client } = deps;

  /** Posts (or refreshes) the case message in the channel the operator is working in. */
  async function showCase(client: WebClient, channelId: string, view: CaseView): Promise<void> {
    const message = caseMessage(view);
    const existing = view.removalCase.caseMessage;
    if (existing) {
      await client.chat.update({ channel: existing.channelId, ts: existing.ts, text: message.text, blocks: message.blocks });
      if (existing.channelId === channelId) {
        updater.remember(view);
        return;
      }
    }
    const posted = await client.chat.postMessage({ channel: channelId, text: message.text, blocks: message.blocks });
    if (posted.ts && posted.channel) {
      const ref = { channelId: posted.channel, ts: posted.ts };
      const placed = await workflow.placeCaseMessage(view.removalCase.id, existing, ref);
      if (placed.placed) {
        view.removalCase.caseMessage = ref;
      } else {
        // another request (a second /offboard, another operator) posted this case's message in
        // the meantime: keep that one, the one that gets updated, and take ours away
        await client.chat.delete({ channel: ref.channelId, ts: ref.ts });
        if (placed.current) await client.chat.update({ channel: placed.current.channelId, ts: placed.current.ts, text: message.text, blocks: message.blocks });
        view.removalCase.caseMessage = placed.current;
      }
    }
    updater.remember(view);
  }

  async function resolveCustomer(query: string, respond: Reply): Promise<Customer | null> {
    const matches = await directory.search(query, 10);
    if (matches.length === 0) {
      await respond(ephemeral(`No customer matches “${escapeText(query)}”. Try part of the company name, the domain (contoso.onmicrosoft.com) or the tenant id.`));
      return null;
    }
    if (matches.length > 1) {
      await respond({ response_type: "ephemeral", replace_original: false, ...pickerMessage(query, matches) });
      return null;
    }
    return matches[0] ?? null;
  }

  async function openCaseFor(userId: string, channelId: string, tenantId: string, client: WebClient, respond: Reply): Promise<void> {
    const result = await workflow.startCase(userId, tenantId);
    if (!result.ok && result.refusal.code === "no_relationship") {
      // nothing to offboard: offer the way back instead
      const link = await workflow.relinkUrl(userId, tenantId);
      const company = result.refusal.customer ? `*${escapeText(result.refusal.customer.companyName)}*` : "the customer";
      const offer = link.ok ? `To work with ${company} again, send them this link to request a new reseller relationship:\n${link.value}` : refusalText(result.refusal);
      return void (await respond(ephemeral(`${escapeText(result.refusal.message)} ${offer}`)));
    }
    if (!result.ok) return void (await respond(ephemeral(refusalText(result.refusal))));
    await showCase(client, channelId, result.value);
  }

  // a failure here fails the job's attempt: it is tried again, and the user told if it never works
  async function handleCommand(command: { text: string; userId: string; channelId: string }, respond: Reply): Promise<void> {
    const parsed = parseOffboardCommand(command.text);
    switch (parsed.kind) {
      case "help":
        return void (await respond({ response_type: "ephemeral", ...helpMessage() }));
      case "invalid":
        return void (await respond({ response_type: "ephemeral", ...helpMessage(parsed.problem) }));
      case "status":
        return void (await respond({ response_type: "ephemeral", ...statusMessage(await workflow.listOpenCases()) }));
      case "scan": {
        const started = await workflow.startScan(command.userId, command.channelId);
        if (!started.ok) return void (await respond(ephemeral(refusalText(started.refusal))));
        const { created, scan } = started.value;
        return void (await respond(
          ephemeral(
            created
              ? "Portfolio scan started: every customer is read and classified. Progress shows in this channel; the result and a CSV follow when it is done."
              : `A portfolio scan started by <@${scan.requestedBy}> is already running in <#${scan.channelId}>. \`/offboard scan status\` shows where it stands.`,
          ),
        ));
      }
      case "scan_status": {
        const status = await workflow.scanStatus(command.userId);
        if (!status.ok) return void (await respond(ephemeral(refusalText(status.refusal))));
        return void (await respond({ response_type: "ephemeral", ...scanStatusMessage(status.value) }));
      }
      case "audit": {
        const customer = await resolveCustomer(parsed.query, respond);
        if (customer) await respond({ response_type: "ephemeral", ...auditMessage(customer, await workflow.auditTrail(customer.tenantId)) });
        return;
      }
      case "relink": {
        const customer = await resolveCustomer(parsed.query, respond);
        if (!customer) return;
        const link = await workflow.relinkUrl(command.userId, customer.tenantId);
        return void (await respond(
          ephemeral(link.ok ? `Send this link to *${escapeText(customer.companyName)}* to request (re-establish) a reseller relationship:\n${link.value}` : refusalText(link.refusal)),
        ));
      }
      case "find": {
        const customer = await resolveCustomer(parsed.query, respond);
        if (customer) await openCaseFor(command.userId, command.channelId, customer.tenantId, client, respond);
        return;
      }
    }
  }

  interactions.on("command", (command, reply) => handleCommand(command, reply));
  app.command("/offboard", async ({ command, body, ack, respond }) => {
    const started = performance.now();
    const accepted = await interactions.accept(interactionKey(body), { type: "command", text: command.text ?? "", userId: command.user_id, channelId: command.channel_id, responseUrl: command.response_url });
    await ack();
    metrics.ack("command", performance.now() - started);
    if (!accepted) await respond(ephemeral(NOT_TAKEN));
  });

  // the picker's answer to a command that matched several customers
  buttons.on(ACTIONS.pickCustomer, customerValue, async ({ value, userId, channelId, respond }) => {
    await openCaseFor(userId, channelId, value.t, client, respond);
  });
}
