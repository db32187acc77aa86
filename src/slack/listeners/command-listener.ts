// /offboard: help, status, audit, relink, and opening a customer's case, with the picker's
// button for when several customers match. The case message goes where the operator works, or
// wherever the app can post (case-placement.ts). Reading needs rights too: the workflow checks.
// In the request's turn the command is only persisted as a durable job and acknowledged.
import { performance } from "node:perf_hooks";
import type { App } from "@slack/bolt";
import type { Customer } from "../../domain";
import { metrics } from "../../metrics";
import { outside } from "../blocks/block-kit";
import { auditMessage, helpMessage, pickerMessage, statusMessage } from "../blocks/info-messages";
import { scanStatusMessage } from "../blocks/scan-messages";
import { interactionKey } from "../interaction-jobs";
import { describeSlackError } from "../slack-errors";
import { ACTIONS, customerValue, parseOffboardCommand } from "../slack-inputs";
import type { ButtonDispatcher } from "./button-dispatcher";
import type { ListenerDeps } from "./listener-deps";
import { NOT_TAKEN, type Reply, ephemeral, refusalText, report } from "./replies";

export function registerCommand(app: App, buttons: ButtonDispatcher, deps: ListenerDeps): void {
  const { workflow, placement, interactions, client, logger } = deps;

  async function resolveCustomer(userId: string, query: string, respond: Reply): Promise<Customer | null> {
    const matches = await report(respond, await workflow.findCustomers(userId, query, 10));
    if (!matches) return null;
    if (matches.length === 0) {
      await respond(ephemeral(`No customer matches “${outside(query, 100)}”. Try part of the company name, the domain (contoso.onmicrosoft.com) or the tenant id.`));
      return null;
    }
    if (matches.length > 1) {
      await respond({ response_type: "ephemeral", replace_original: false, ...pickerMessage(query, matches) });
      return null;
    }
    return matches[0] ?? null;
  }

  async function openCaseFor(userId: string, channelId: string, tenantId: string, respond: Reply): Promise<void> {
    const result = await workflow.startCase(userId, tenantId);
    if (!result.ok && result.refusal.code === "no_relationship") {
      // nothing to offboard: offer the way back instead
      const link = await workflow.relinkUrl(userId, tenantId);
      const company = result.refusal.customer ? `*${outside(result.refusal.customer.companyName, 150)}*` : "the customer";
      const offer = link.ok ? `To work with ${company} again, send them this link to request a new reseller relationship:\n${link.value}` : refusalText(result.refusal);
      return void (await respond(ephemeral(`${outside(result.refusal.message, 500)} ${offer}`)));
    }
    if (!result.ok) return void (await respond(ephemeral(refusalText(result.refusal))));
    try {
      await placement.show(client, result.value, channelId, userId, respond);
    } catch (error) {
      // the case is open whatever Slack said: never report it as nothing done (nor try the job again)
      logger.warn({ caseId: result.value.removalCase.id, err: describeSlackError(error) }, "could not show a case just opened");
      const name = outside(result.value.removalCase.companyName, 150);
      await respond(ephemeral(`The case for *${name}* is open, but Slack did not take its message just now. Type the same /offboard again in a minute to see it.`));
    }
  }

  // a failure here fails the job's attempt: it is tried again, and the user told if it never works
  async function handleCommand(command: { text: string; userId: string; channelId: string }, respond: Reply): Promise<void> {
    const parsed = parseOffboardCommand(command.text);
    const user = command.userId;
    switch (parsed.kind) {
      case "help":
        return void (await respond({ response_type: "ephemeral", ...helpMessage() }));
      case "invalid":
        return void (await respond({ response_type: "ephemeral", ...helpMessage(parsed.problem) }));
      case "status": {
        const cases = await report(respond, await workflow.listOpenCases(user));
        if (cases) await respond({ response_type: "ephemeral", ...statusMessage(cases) });
        return;
      }
      case "scan": {
        const started = await workflow.startScan(command.userId, command.channelId);
        if (!started.ok) return void (await respond(ephemeral(refusalText(started.refusal))));
        const { created, scan } = started.value;
        return void (await respond(
          ephemeral(
            created
              ? "Portfolio scan started: every customer is read and classified. Progress shows in this channel (where the app cannot post here: where case messages go instead); the result and a CSV follow when it is done."
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
        const customer = await resolveCustomer(user, parsed.query, respond);
        const events = customer ? await report(respond, await workflow.auditTrail(user, customer.tenantId)) : null;
        if (customer && events) await respond({ response_type: "ephemeral", ...auditMessage(customer, events) });
        return;
      }
      case "relink": {
        const customer = await resolveCustomer(user, parsed.query, respond);
        const link = customer ? await report(respond, await workflow.relinkUrl(user, customer.tenantId)) : null;
        if (customer && link) await respond(ephemeral(`Send this link to *${outside(customer.companyName, 150)}* to request (re-establish) a reseller relationship:\n${link}`));
        return;
      }
      case "find": {
        const customer = await resolveCustomer(user, parsed.query, respond);
        if (customer) await openCaseFor(user, command.channelId, customer.tenantId, respond);
        return;
      }
    }
  }

  interactions.on("command", (command, reply) => handleCommand(command, reply));
  app.command("/offboard", async ({ command, body, ack, respond }) => {
    const started = performance.now();
    const accepted = await interactions.accept(interactionKey(body), {
      type: "command",
      text: command.text ?? "",
      userId: command.user_id,
      teamId: command.team_id,
      channelId: command.channel_id,
      responseUrl: command.response_url,
    });
    await ack();
    metrics.ack("command", performance.now() - started);
    if (!accepted) await respond(ephemeral(NOT_TAKEN));
  });

  // the picker's answer to a command that matched several customers
  buttons.on(ACTIONS.pickCustomer, customerValue, async ({ value, userId, channelId, respond }) => {
    await openCaseFor(userId, channelId, value.t, respond);
  });
}
