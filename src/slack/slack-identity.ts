// The bot's identity and workspace, from one auth.test: the receiver's authorize needs the bot's
// ids for every request, and the access policy needs the installing workspace's team_id. Asked
// once; a failed ask is asked again next time.
import type { Authorize } from "@slack/bolt";
import type { WebClient } from "@slack/web-api";

export interface BotIdentity {
  botId: string;
  botUserId: string;
  /** the workspace the app is installed in: only its members may act */
  teamId: string;
}

export class SlackIdentity {
  private asked: Promise<BotIdentity> | null = null;

  constructor(private readonly client: Pick<WebClient, "auth">) {}

  get(): Promise<BotIdentity> {
    const asked = (this.asked ??= this.client.auth.test().then((result) => ({ botId: result.bot_id ?? "", botUserId: result.user_id ?? "", teamId: result.team_id ?? "" })));
    asked.catch(() => {
      if (this.asked === asked) this.asked = null;
    });
    return asked;
  }

  /**
   * Bolt's authorize from the cached identity. Given a token, Bolt either calls auth.test at
   * construction and keeps a failure for good, or (verification off) calls it again before every
   * listener, which cost each request a Web API round trip ahead of its ack.
   */
  authorize(botToken: string): Authorize<boolean> {
    return async () => {
      const { botId, botUserId } = await this.get();
      return { botToken, botId, botUserId };
    };
  }
}
