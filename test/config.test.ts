import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../src/config.ts';

const required = { DISCORD_TOKEN: 'discord-secret-token', DMXAPI_API_KEY: 'sk-secret-key' };

function problems(env: Record<string, string>): readonly string[] {
  try {
    parseConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return expect.unreachable('configuration should have been refused');
}

describe('parseConfig', () => {
  it('fills every default from the documented values', () => {
    const config = parseConfig(required);
    expect(config).toEqual({
      discord: {
        token: 'discord-secret-token',
        apiUrl: 'https://discord.com/api',
        cdnHosts: ['cdn.discordapp.com', 'media.discordapp.net'],
      },
      dmxapi: {
        apiKey: 'sk-secret-key',
        baseUrl: 'https://www.dmxapi.cn',
        model: 'minimax-clone-upload',
        cloneModel: 'minimax-clone-lastversion',
        speechModel: 'speech-2.8-hd',
        timeoutMs: 120000,
        audioHosts: ['.aliyuncs.com', '.minimaxi.com', '.minimax.io', '.minimax.chat'],
        clonePerMinute: 30,
        speechPerMinute: 10,
      },
      speech: { maxChars: 2000, userDailyChars: 20000 },
      limits: {
        maxBytes: 20 * 1024 * 1024,
        duration: {
          voice_clone: { minSeconds: 10, maxSeconds: 300, maxExclusive: false },
          prompt_audio: { minSeconds: 0, maxSeconds: 8, maxExclusive: true },
        },
      },
      downloadTimeoutMs: 60000,
      access: { allowedGuildIds: [], allowedRoleIds: [], userDailyUploadLimit: 50, userCooldownSeconds: 15 },
      maxConcurrentUploads: 4,
      maxQueuedUploads: 20,
      inspection: { timeoutMs: 5000, workers: 4 },
      conversion: { maxInputBytes: 100 * 1024 * 1024, ffmpegPath: 'ffmpeg', timeoutMs: 30_000 },
      shutdownGraceMs: 30000,
      dataDir: './data',
      logLevel: 'info',
      logFormat: 'json',
      health: undefined,
    });
  });

  it('is frozen all the way down', () => {
    const config = parseConfig(required);
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.limits.duration.voice_clone)).toBe(true);
    expect(Object.isFrozen(config.discord.cdnHosts)).toBe(true);
  });

  it('takes every override', () => {
    const config = parseConfig({
      ...required,
      DMXAPI_BASE_URL: 'http://127.0.0.1:9000/',
      DMXAPI_MODEL: 'minimax-clone',
      DMXAPI_TIMEOUT_MS: '5000',
      DISCORD_API_URL: 'http://127.0.0.1:9001/api',
      DISCORD_CDN_HOSTS: ' 127.0.0.1 , Cdn.Example ',
      DATA_DIR: '/var/lib/bot',
      LOG_LEVEL: 'DEBUG',
      MAX_AUDIO_BYTES: '1000',
      VOICE_CLONE_MIN_SECONDS: '5',
      VOICE_CLONE_MAX_SECONDS: '60.5',
      PROMPT_AUDIO_MAX_SECONDS: '6',
      MAX_CONCURRENT_UPLOADS: '2',
      MAX_QUEUED_UPLOADS: '7',
      INSPECT_TIMEOUT_MS: '1500',
      MAX_INPUT_BYTES: '50000000',
      FFMPEG_PATH: '/opt/ffmpeg/bin/ffmpeg',
      CONVERT_TIMEOUT_MS: '10000',
      LOG_FORMAT: 'pretty',
      HEALTH_PORT: '8080',
      ALLOWED_GUILD_IDS: '111111111111111111, 222222222222222222',
      ALLOWED_ROLE_IDS: '333333333333333333',
      USER_DAILY_UPLOAD_LIMIT: '5',
      USER_COOLDOWN_SECONDS: '2.5',
    });
    expect(config.access).toEqual({
      allowedGuildIds: ['111111111111111111', '222222222222222222'],
      allowedRoleIds: ['333333333333333333'],
      userDailyUploadLimit: 5,
      userCooldownSeconds: 2.5,
    });
    expect(config).toMatchObject({
      logFormat: 'pretty',
      health: { port: 8080, host: '0.0.0.0' },
      maxQueuedUploads: 7,
    });
    expect(config.dmxapi).toMatchObject({
      baseUrl: 'http://127.0.0.1:9000',
      model: 'minimax-clone',
      timeoutMs: 5000,
    });
    expect(config.discord).toMatchObject({
      apiUrl: 'http://127.0.0.1:9001/api',
      cdnHosts: ['127.0.0.1', 'cdn.example'],
    });
    expect(config.limits.duration.voice_clone).toEqual({
      minSeconds: 5,
      maxSeconds: 60.5,
      maxExclusive: false,
    });
    expect(config.limits.duration.prompt_audio).toEqual({ minSeconds: 0, maxSeconds: 6, maxExclusive: true });
    expect(config).toMatchObject({ dataDir: '/var/lib/bot', logLevel: 'debug', maxConcurrentUploads: 2 });
    // INSPECT_WORKERS follows MAX_CONCURRENT_UPLOADS unless set.
    expect(config.inspection).toEqual({ timeoutMs: 1500, workers: 2 });
    expect(parseConfig({ ...required, INSPECT_WORKERS: '3' }).inspection.workers).toBe(3);
    expect(config.conversion).toEqual({
      maxInputBytes: 50_000_000,
      ffmpegPath: '/opt/ffmpeg/bin/ffmpeg',
      timeoutMs: 10_000,
    });
  });

  it('takes the clone and speech settings', () => {
    const config = parseConfig({
      ...required,
      DMXAPI_CLONE_MODEL: 'minimax-clone-next',
      DMXAPI_SPEECH_MODEL: 'speech-2.8-turbo',
      DMXAPI_AUDIO_HOSTS: '127.0.0.1, .Example.com',
      DMXAPI_CLONE_PER_MINUTE: '60',
      DMXAPI_SPEECH_PER_MINUTE: '20',
      SPEECH_MAX_CHARS: '4000',
      USER_DAILY_SPEECH_CHARS: '500',
    });
    expect(config.dmxapi).toMatchObject({
      cloneModel: 'minimax-clone-next',
      speechModel: 'speech-2.8-turbo',
      audioHosts: ['127.0.0.1', '.example.com'],
      clonePerMinute: 60,
      speechPerMinute: 20,
    });
    expect(config.speech).toEqual({ maxChars: 4000, userDailyChars: 500 });
  });

  it("refuses SPEECH_MAX_CHARS above a modal text input's 4000, and host lists with empty labels", () => {
    expect(
      problems({
        ...required,
        SPEECH_MAX_CHARS: '4001',
        USER_DAILY_SPEECH_CHARS: '-1',
        DMXAPI_AUDIO_HOSTS: '.,a..b,ok.example',
        DMXAPI_SPEECH_PER_MINUTE: '0',
      }),
    ).toEqual([
      'DMXAPI_AUDIO_HOSTS must hold bare host names separated by commas, got ".", "a..b"',
      'DMXAPI_SPEECH_PER_MINUTE must be a whole number above 0, got "0"',
      'SPEECH_MAX_CHARS may not exceed 4000, got "4001"',
      'USER_DAILY_SPEECH_CHARS must be a whole number above 0, got "-1"',
    ]);
  });

  it('names every problem at once', () => {
    const found = problems({
      DMXAPI_TIMEOUT_MS: 'soon',
      DISCORD_API_URL: 'discord.com',
      LOG_LEVEL: 'loud',
      VOICE_CLONE_MIN_SECONDS: '400',
      MAX_CONCURRENT_UPLOADS: '0',
      INSPECT_TIMEOUT_MS: '-1',
      INSPECT_WORKERS: 'two',
      MAX_INPUT_BYTES: '100MB',
      DISCORD_CDN_HOSTS: ',',
      HEALTH_PORT: '70000',
      ALLOWED_ROLE_IDS: 'admins',
    });
    expect(found).toEqual([
      'HEALTH_PORT must be a port number from 0 to 65535, got "70000"',
      'MAX_CONCURRENT_UPLOADS must be a whole number above 0, got "0"',
      'DISCORD_TOKEN is required but not set',
      'DISCORD_API_URL must be an https:// URL, got "discord.com"',
      'DISCORD_CDN_HOSTS must list at least one host name',
      'DMXAPI_API_KEY is required but not set',
      'DMXAPI_TIMEOUT_MS must be a whole number above 0, got "soon"',
      'VOICE_CLONE_MAX_SECONDS (300) must be greater than VOICE_CLONE_MIN_SECONDS (400)',
      'INSPECT_TIMEOUT_MS must be a whole number above 0, got "-1"',
      'INSPECT_WORKERS must be a whole number above 0, got "two"',
      'MAX_INPUT_BYTES must be a whole number above 0, got "100MB"',
      'ALLOWED_ROLE_IDS must hold Discord ids (17 to 20 digits) separated by commas, got "admins"',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "loud"',
    ]);
  });

  it('never repeats a secret in a problem', () => {
    const secret = 'Bearer sk-do-not-print-me';
    const found = problems({ DISCORD_TOKEN: 'x', DMXAPI_API_KEY: secret });
    expect(found).toEqual([
      'DMXAPI_API_KEY contains white space (send the bare key, with no "Bearer " prefix)',
    ]);
    expect(found.join()).not.toContain('do-not-print-me');
  });

  it("tells a Discord token's white space apart from a DMXAPI key's", () => {
    const found = problems({ DISCORD_TOKEN: 'Bot abc.def', DMXAPI_API_KEY: 'sk-ok' });
    expect(found).toEqual([
      'DISCORD_TOKEN contains white space (paste the bare token from the Developer Portal, Bot → Reset Token: no "Bot " prefix, quotes or line break)',
    ]);
  });

  it('takes an IP address or a host name for HEALTH_HOST, and refuses anything else', () => {
    for (const host of ['127.0.0.1', '0.0.0.0', '::', '::1', 'localhost', 'bot-health.internal']) {
      expect(parseConfig({ ...required, HEALTH_PORT: '8080', HEALTH_HOST: host }).health).toEqual({
        port: 8080,
        host,
      });
    }
    for (const host of ['http://0.0.0.0', '127.0.0.1:8080', 'local host', '[::1]', 'bot_health']) {
      expect(problems({ ...required, HEALTH_PORT: '8080', HEALTH_HOST: host })).toEqual([
        `HEALTH_HOST must be an IP address (0.0.0.0 for every interface, 127.0.0.1 for this machine only, :: for IPv6) or a host name, got "${host}"`,
      ]);
    }
  });

  it('checks HEALTH_HOST even while HEALTH_PORT is unset, so a typo does not wait for the day it is turned on', () => {
    expect(problems({ ...required, HEALTH_HOST: 'http://localhost' })).toHaveLength(1);
  });

  it('never echoes a value that looks like a token or a key, whichever variable it was pasted into', () => {
    const botToken = 'MTE4NTY3ODkwMTIzNDU2Nzg5MA.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';
    const key = 'sk-0123456789abcdefghijklmn';
    const random = 'q8Zt2Xw9Lm4Rv7Bn1Kc6';
    const hex = '9f86d081884c7d659a2feaa0c55ad015';
    const plainKey = 'TeamSharedKeyForDmx';
    const found = problems({
      DISCORD_TOKEN: 'discord-secret-token',
      DMXAPI_API_KEY: plainKey,
      ALLOWED_GUILD_IDS: `111111111111111111,${botToken}`,
      DMXAPI_TIMEOUT_MS: key,
      LOG_LEVEL: random,
      MAX_AUDIO_BYTES: hex,
      HEALTH_PORT: plainKey,
      DISCORD_API_URL: `discord.example/api?token=${botToken}`,
      DMXAPI_BASE_URL: key,
      DISCORD_CDN_HOSTS: `cdn.discordapp.com, ${random}/`,
    });
    const text = found.join('\n');
    for (const secret of [botToken, key, random, hex, plainKey, 'sk-0123', 'q8Zt2X']) {
      expect(text).not.toContain(secret);
    }
    // Every problem is still named, saying the value is withheld rather than just dropping it.
    for (const name of [
      'ALLOWED_GUILD_IDS',
      'DMXAPI_TIMEOUT_MS',
      'LOG_LEVEL',
      'MAX_AUDIO_BYTES',
      'HEALTH_PORT',
      'DISCORD_API_URL',
      'DMXAPI_BASE_URL',
      'DISCORD_CDN_HOSTS',
    ]) {
      expect(found.find((problem) => problem.startsWith(name))).toMatch(/looks like a secret/);
    }
    // Ordinary wrong values are still quoted, which is what makes the message useful.
    expect(problems({ ...required, DMXAPI_TIMEOUT_MS: 'soon' })).toEqual([
      'DMXAPI_TIMEOUT_MS must be a whole number above 0, got "soon"',
    ]);
  });

  it('requires https for DMXAPI and Discord, except on a loopback host', () => {
    const refused = problems({
      ...required,
      DMXAPI_BASE_URL: 'http://www.dmxapi.cn',
      DISCORD_API_URL: 'http://10.0.0.5:8080/api',
    });
    expect(refused).toEqual([
      'DISCORD_API_URL must use https:// (plain http only for a loopback host: localhost, 127.x.x.x, [::1]), got "http://10.0.0.5:8080/api"',
      'DMXAPI_BASE_URL must use https:// (plain http only for a loopback host: localhost, 127.x.x.x, [::1]), got "http://www.dmxapi.cn"',
    ]);
    expect(problems({ ...required, DMXAPI_BASE_URL: 'ftp://127.0.0.1' })).toEqual([
      'DMXAPI_BASE_URL must be an https:// URL, got "ftp://127.0.0.1"',
    ]);
    for (const url of [
      'http://127.0.0.1:9000',
      'http://127.8.9.10',
      'http://localhost:3000',
      'http://[::1]:8080',
      'https://relay.example',
    ]) {
      expect(parseConfig({ ...required, DMXAPI_BASE_URL: url, DISCORD_API_URL: url }).dmxapi.baseUrl).toBe(
        url,
      );
    }
  });
});
