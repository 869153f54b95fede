import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRegistrationConfig, parseConfig } from '../src/config.ts';
import { registerCommands } from '../src/register-commands.ts';
import { makeWav } from './support/audio.ts';
import { DiscordStandIn } from './support/discord-stand-in/index.ts';
import type { EditBody } from './support/discord-stand-in/index.ts';
import { e2eBots } from './support/e2e-bots.ts';

const TOKEN = 'labels-test-token';

/** Limits other than the defaults, so a label that says "10 s to 5 min" or "100 MiB" shows up. */
const LIMITS_ENV = {
  VOICE_CLONE_MIN_SECONDS: '6',
  VOICE_CLONE_MAX_SECONDS: '120',
  PROMPT_AUDIO_MAX_SECONDS: '5',
  MAX_INPUT_BYTES: String(10 * 1024 * 1024),
  SPEECH_MAX_CHARS: '300',
};

interface Choice {
  name: string;
  name_localizations?: Record<string, string>;
  value: string;
}
interface Option {
  name: string;
  description: string;
  description_localizations?: Record<string, string>;
  choices?: Choice[];
}

describe('command labels state the limits the checks use', () => {
  let discord: DiscordStandIn;
  beforeAll(async () => {
    discord = await DiscordStandIn.start({ token: TOKEN });
  });
  afterAll(async () => {
    await discord.close();
  });

  it('npm run register reads the limits from the same variables as the bot', () => {
    const env = { DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl, ...LIMITS_ENV };
    const botEnv = { ...env, DMXAPI_API_KEY: 'sk-labels-key' };
    const registration = loadRegistrationConfig({ ...env });
    const bot = parseConfig(botEnv);
    expect(registration.limits).toEqual(bot.limits);
    expect(registration.maxInputBytes).toBe(bot.conversion.maxInputBytes);
    expect(registration.speechMaxChars).toBe(bot.speech.maxChars);
  });

  it('registers /upload with the configured durations and size, in both languages', async () => {
    const config = loadRegistrationConfig({
      DISCORD_TOKEN: TOKEN,
      DISCORD_API_URL: discord.apiUrl,
      ...LIMITS_ENV,
    });
    await registerCommands(config, discord.guildIds[0]);
    const put = discord.requests.filter((r) => r.method === 'PUT').at(-1);
    const upload = (put?.body as { name: string; options: Option[] }[]).find((c) => c.name === 'upload');
    const [purpose, audio] = upload?.options ?? [];

    expect(purpose?.choices).toEqual([
      {
        name: 'Voice to clone: 6 s to 2 min (voice_clone)',
        name_localizations: { 'zh-CN': '待克隆音频：6 秒至 2 分钟 (voice_clone)' },
        value: 'voice_clone',
      },
      {
        name: 'Prompt clip: shorter than 5 s (prompt_audio)',
        name_localizations: { 'zh-CN': '示例音频：短于 5 秒 (prompt_audio)' },
        value: 'prompt_audio',
      },
    ]);
    expect(audio?.description).toBe(
      'The recording (MP3, M4A, WAV, Ogg, FLAC, WebM, MP4, AAC, AIFF), up to 10 MiB',
    );
    const say = (put?.body as { name: string; options: (Option & { max_length?: number })[] }[]).find(
      (c) => c.name === 'say',
    );
    expect(say?.options.find((option) => option.name === 'text')?.max_length).toBe(300);
    const clone = (put?.body as { name: string; options: Option[] }[]).find((c) => c.name === 'clone');
    const prompt = clone?.options.find((option) => option.name === 'prompt');
    expect(prompt?.description).toBe('A prompt_audio clip (shorter than 5 s) that makes the clone closer');
    expect(prompt?.description_localizations).toEqual({
      'zh-CN': '让克隆更像的示例音频（prompt_audio，短于 5 秒）',
    });
    expect(audio?.description_localizations).toEqual({
      'zh-CN': '录音文件（MP3、M4A、WAV、Ogg、FLAC、WebM、MP4、AAC、AIFF），最大 10 MiB',
    });
  });

  it('says the defaults as before when nothing is configured', async () => {
    const config = loadRegistrationConfig({ DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl });
    await registerCommands(config, discord.guildIds[0]);
    const put = discord.requests.filter((r) => r.method === 'PUT').at(-1);
    const upload = (put?.body as { name: string; options: Option[] }[]).find((c) => c.name === 'upload');
    const [purpose, audio] = upload?.options ?? [];
    expect(purpose?.choices?.map((choice) => choice.name)).toEqual([
      'Voice to clone: 10 s to 5 min (voice_clone)',
      'Prompt clip: shorter than 8 s (prompt_audio)',
    ]);
    expect(audio?.description).toBe(
      'The recording (MP3, M4A, WAV, Ogg, FLAC, WebM, MP4, AAC, AIFF), up to 100 MiB',
    );
  });
});

describe('the running bot builds its prompts from the same configuration', () => {
  const bots = e2eBots();

  it("labels the message menu's purpose buttons with the configured durations", async () => {
    // A short prompt timeout: nobody answers this prompt, and the bot's stop waits for it to end.
    const running = await bots.start({ env: LIMITS_ENV, bot: { promptTimeoutMs: 500 } });
    const sample = running.discord.postChannelMessage({
      attachments: [{ filename: 'a.wav', bytes: makeWav(7), contentType: 'audio/wav' }],
    });
    const menu = running.discord.dispatchMessageCommand({
      name: 'Upload voice sample',
      targetMessage: sample,
    });
    const asked = (await menu.waitForEdit((body) => (body.components?.length ?? 0) > 0)).body as EditBody;
    const labels = ((asked.components ?? []) as { components?: { label?: string }[] }[]).flatMap((row) =>
      (row.components ?? []).map((component) => component.label),
    );
    expect(labels).toEqual(['Voice to clone (6 s to 2 min)', 'Prompt clip (shorter than 5 s)']);
  });
});
