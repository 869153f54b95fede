import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DEFAULT_AUDIO_LIMITS } from '../src/domain/limits.ts';
import { RegistrationError, registerCommands } from '../src/register-commands.ts';
import { DiscordStandIn } from './support/discord-stand-in/index.ts';

const TOKEN = 'register-test-token';
const SCRIPT = fileURLToPath(new URL('../src/register-commands.ts', import.meta.url));
let discord: DiscordStandIn;

beforeAll(async () => {
  discord = await DiscordStandIn.start({ token: TOKEN });
});
afterAll(async () => {
  await discord.close();
});

/** What `npm run register` reads from the environment, at its defaults, against the stand-in. */
function registration(token = TOKEN) {
  return {
    token,
    apiUrl: discord.apiUrl,
    limits: DEFAULT_AUDIO_LIMITS,
    maxInputBytes: 100 * 1024 * 1024,
    speechMaxChars: 2000,
  };
}

describe('npm run register', () => {
  it('bulk-overwrites the guild commands of the application the token belongs to', async () => {
    const guildId = discord.guildIds[0] ?? '';
    const result = await registerCommands(registration(), guildId);
    expect(result).toEqual({
      applicationId: discord.applicationId,
      scope: 'guild',
      names: ['upload', 'uploads', 'Upload voice sample', 'voices', 'clone', 'say'],
    });

    const put = discord.requests.find((r) => r.method === 'PUT');
    expect(put?.path).toBe(`/api/v10/applications/${discord.applicationId}/guilds/${guildId}/commands`);
    expect(put?.headers.authorization).toBe(`Bot ${TOKEN}`);
    const [upload] = put?.body as Record<string, unknown>[];
    expect(upload).toMatchObject({ name: 'upload', name_localizations: { 'zh-CN': '上传' } });
    expect(upload).not.toHaveProperty('contexts');
    expect(upload?.options).toEqual([
      expect.objectContaining({
        name: 'purpose',
        type: 3,
        required: true,
        choices: [
          expect.objectContaining({ value: 'voice_clone' }),
          expect.objectContaining({ value: 'prompt_audio' }),
        ],
      }),
      expect.objectContaining({ name: 'audio', type: 11, required: true }),
      expect.objectContaining({ name: 'force', type: 5 }),
      expect.objectContaining({ name: 'private', type: 5 }),
    ]);
  });

  it('registers globally, guild-only by context, without --guild', async () => {
    const result = await registerCommands(registration(), undefined);
    expect(result.scope).toBe('global');
    const put = discord.requests.filter((r) => r.method === 'PUT').at(-1);
    expect(put?.path).toBe(`/api/v10/applications/${discord.applicationId}/commands`);
    expect((put?.body as Record<string, unknown>[])[0]).toMatchObject({
      contexts: [0],
      integration_types: [0],
    });
  });

  it('explains a refused token: what it means and where to get a new one', async () => {
    const failure = registerCommands(registration('wrong'), undefined);
    await expect(failure).rejects.toBeInstanceOf(RegistrationError);
    await expect(failure).rejects.toThrow(
      'Discord refused DISCORD_TOKEN (HTTP 401 Unauthorized): the token is wrong or was reset. ' +
        'Copy a new one from the Developer Portal (your application → Bot → Reset Token) into .env, then run npm run register again.',
    );
  });

  it('explains Missing Access: the bot is not in that server, with the invite link that fixes it', async () => {
    const foreignGuild = '999999999999999999';
    const failure = registerCommands(registration(), foreignGuild);
    await expect(failure).rejects.toThrow(
      `Discord answered Missing Access for server ${foreignGuild}: the bot is not in that server, or it was ` +
        'invited without the applications.commands scope. Invite it with this link, then run npm run register again:\n' +
        `  https://discord.com/oauth2/authorize?client_id=${discord.applicationId}&scope=bot+applications.commands&permissions=117760`,
    );
  });

  it('prints the explanation and exits 1 when run as npm run register', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'register-'));
    try {
      const run = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
        const child = spawn(process.execPath, [SCRIPT, '--guild', '999999999999999999'], {
          cwd: dir,
          env: { PATH: process.env.PATH ?? '', DISCORD_TOKEN: TOKEN, DISCORD_API_URL: discord.apiUrl },
          stdio: ['ignore', 'ignore', 'pipe'],
        });
        let stderr = '';
        child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
        child.once('exit', (code) => resolve({ code, stderr }));
      });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('Discord answered Missing Access for server 999999999999999999');
      expect(run.stderr).toContain(`client_id=${discord.applicationId}&scope=bot+applications.commands`);
      expect(run.stderr).not.toContain('DiscordAPIError');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
