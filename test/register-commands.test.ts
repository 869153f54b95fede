import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerCommands } from '../src/register-commands.ts';
import { DiscordStandIn } from './support/discord-stand-in/index.ts';

const TOKEN = 'register-test-token';
let discord: DiscordStandIn;

beforeAll(async () => {
  discord = await DiscordStandIn.start({ token: TOKEN });
});
afterAll(async () => {
  await discord.close();
});

describe('npm run register', () => {
  it('bulk-overwrites the guild commands of the application the token belongs to', async () => {
    const guildId = discord.guildIds[0] ?? '';
    const result = await registerCommands({ token: TOKEN, apiUrl: discord.apiUrl }, guildId);
    expect(result).toEqual({
      applicationId: discord.applicationId,
      scope: 'guild',
      names: ['upload', 'uploads', 'Upload voice sample'],
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
    const result = await registerCommands({ token: TOKEN, apiUrl: discord.apiUrl }, undefined);
    expect(result.scope).toBe('global');
    const put = discord.requests.filter((r) => r.method === 'PUT').at(-1);
    expect(put?.path).toBe(`/api/v10/applications/${discord.applicationId}/commands`);
    expect((put?.body as Record<string, unknown>[])[0]).toMatchObject({
      contexts: [0],
      integration_types: [0],
    });
  });

  it("fails with Discord's answer when the token is wrong", async () => {
    await expect(registerCommands({ token: 'wrong', apiUrl: discord.apiUrl }, undefined)).rejects.toThrow(
      /401|Unauthorized/,
    );
  });
});
