import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  type APIApplicationCommandInteractionDataOption,
} from 'discord.js';
import type {
  AttachmentServeOptions,
  DiscordStandIn,
  DispatchedInteraction,
  EditBody,
} from './discord-stand-in/index.ts';
import type { DmxapiScript, DmxapiStandIn } from './dmxapi-stand-in.ts';

export const PROGRESS_COLOR = 0x5865f2;
export const SUCCESS_COLOR = 0x2ecc71;
export const ERROR_COLOR = 0xe74c3c;
export const NOTICE_COLOR = 0xf1c40f;

export interface UploadCase {
  readonly fileName: string;
  readonly bytes: Uint8Array;
  readonly purpose?: string;
  readonly declaredBytes?: number;
  readonly serve?: AttachmentServeOptions;
  readonly url?: string;
  readonly private?: boolean;
  readonly dmxapi?: DmxapiScript[];
  readonly timeoutMs?: number;
  readonly extraOptions?: APIApplicationCommandInteractionDataOption[];
  readonly memberRoles?: string[];
  /** The member who sends it; the stand-in's default user otherwise. */
  readonly userId?: string;
  /** Sent from a direct message instead of the guild channel. */
  readonly dm?: boolean;
}

export interface UploadResult {
  readonly interaction: DispatchedInteraction;
  readonly final: EditBody;
  /** The final embed as text: title, description, then "name: value" per field. */
  readonly text: string;
  readonly dmxapiRequests: number;
}

/**
 * Sends `/upload` as a member would and waits for the bot's final answer (the first edit that is
 * not a progress embed). The interaction is dispatched before the first await, so several calls in
 * one tick reach the bot at the same instant.
 */
export async function sendUpload(
  discord: DiscordStandIn,
  dmxapi: DmxapiStandIn,
  c: UploadCase,
): Promise<UploadResult> {
  if (c.dmxapi) dmxapi.script(...c.dmxapi);
  const before = dmxapi.received.length;
  const url = c.url ?? discord.serveAttachment(c.fileName, c.bytes, c.serve);
  const interaction = discord.dispatchChatInputCommand({
    name: 'upload',
    options: [
      { type: ApplicationCommandOptionType.String, name: 'purpose', value: c.purpose ?? 'voice_clone' },
      ...(c.private === undefined
        ? []
        : [{ type: ApplicationCommandOptionType.Boolean as const, name: 'private', value: c.private }]),
      ...(c.extraOptions ?? []),
    ],
    ...(c.memberRoles === undefined ? {} : { memberRoles: c.memberRoles }),
    ...(c.userId === undefined ? {} : { userId: c.userId }),
    ...(c.dm === undefined ? {} : { dm: c.dm }),
    attachments: [
      { filename: c.fileName, size: c.declaredBytes ?? c.bytes.length, url, optionName: 'audio' },
    ],
  });
  // A refusal that needs no work (access, say) is the immediate reply; anything else is a later edit.
  const callback = await interaction.callback(c.timeoutMs);
  const answered = callback.body as { type?: number; data?: EditBody };
  const final =
    answered.type === InteractionResponseType.ChannelMessageWithSource && answered.data
      ? answered.data
      : ((
          await interaction.waitForEdit((body) => {
            // The plain text fallback, sent when the reply itself could not be drawn, has no embed.
            if (body.embeds?.length === 0 && body.content) return true;
            const color = body.embeds?.[0]?.color;
            return color !== undefined && color !== PROGRESS_COLOR;
          }, c.timeoutMs)
        ).body as EditBody);
  const text = embedText(final, { footer: false });
  return { interaction, final, text, dmxapiRequests: dmxapi.received.length - before };
}

/** A reply's first embed as text: title, description, "name: value" per field, then the footer. */
export function embedText(body: EditBody | undefined, { footer = true } = {}): string {
  const embed = body?.embeds?.[0];
  return [
    embed?.title,
    embed?.description,
    ...(embed?.fields ?? []).map((f) => `${f.name}: ${f.value}`),
    ...(footer ? [embed?.footer?.text] : []),
  ].join('\n');
}

export function fileIdIn(final: EditBody): string | undefined {
  return final.embeds?.[0]?.description?.match(/```\n(\d+)\n```/)?.[1];
}

/** Resolves once `count` interactions have had an edit whose body contains `text`. */
export async function whenEdited(
  discord: DiscordStandIn,
  text: string,
  count: number,
  timeoutMs = 15_000,
): Promise<void> {
  const edited = () =>
    new Set(
      discord.requests
        .filter((q) => q.method === 'PATCH' && JSON.stringify(q.body).includes(text))
        .map((q) => q.path),
    ).size;
  await discord.waitForRequest(() => edited() >= count, timeoutMs);
}
