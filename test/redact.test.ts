import { describe, expect, it } from 'vitest';
import { containsSecret, redactCredentials, redactSecrets } from '../src/redact.ts';

const interactionToken = Buffer.from(`interaction:1577348032133857295:${'ab12'.repeat(24)}`).toString(
  'base64url',
);
const botToken = 'MTE4NTY3ODkwMTIzNDU2Nzg5MA.GhIjKl.abcdefghijklmnopqrstuvwxyz0123456789AB';

describe('redactCredentials', () => {
  it.each([
    [
      'a webhook url',
      `PATCH https://discord.com/api/v10/webhooks/123456789012345678/opaque-token-1/messages/@original`,
    ],
    [
      'an interaction callback',
      `/api/v10/interactions/123456789012345678/opaque-token-1/callback?with_response=false`,
    ],
    ['an interaction token alone', `token=${interactionToken}`],
    ['a bearer token', 'Authorization: Bearer opaque-token-1'],
    ['an sk- key', 'invalid key sk-opaque-token-1 (request id: 1)'],
    ['a Discord bot token', `login with ${botToken} failed`],
  ])('removes %s', (_name, text) => {
    const redacted = redactCredentials(text);
    expect(redacted).toContain('[redacted]');
    expect(redacted).not.toContain('opaque-token-1');
    expect(redacted).not.toContain(interactionToken);
    expect(redacted).not.toContain(botToken);
  });

  it('keeps the route around a token, so the log still says what failed', () => {
    expect(redactCredentials('/webhooks/123456789012345678/opaque/messages/%40original')).toBe(
      '/webhooks/123456789012345678/[redacted]/messages/%40original',
    );
  });

  it('removes known secrets of any shape, also as escaped inside JSON', () => {
    const key = 'plain"key\\value';
    const line = JSON.stringify({ msg: `echo ${key}` });
    expect(redactCredentials(line, [key])).toBe(JSON.stringify({ msg: 'echo [redacted]' }));
    // Too short to tell apart from ordinary text: left alone rather than eating every "x".
    expect(redactCredentials('x marks the spot', ['x'])).toBe('x marks the spot');
  });

  it('leaves ids, digests and prose alone', () => {
    const text = `file 9007199254740993001 sha256 ${'0123456789abcdef'.repeat(4)}: the bot restarted`;
    expect(redactCredentials(text)).toBe(text);
  });
});

describe('redactSecrets', () => {
  it('also removes long random-looking strings from text written elsewhere', () => {
    const hex = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
    const mixed = 'Xq7vB2nKp9LmZ4rT8wYc';
    const said = `relay echoed x-api-key: ${mixed} and signature ${hex}`;
    expect(redactSecrets(said)).toBe('relay echoed x-api-key: [redacted] and signature [redacted]');
  });

  it('keeps ordinary words, file names, host names and numbers', () => {
    const said = 'invalid audio_recording_2024_final.mp3 at www.dmxapi.cn: status 2013 ' + 'a'.repeat(40);
    expect(redactSecrets(said)).toBe(said);
    expect(containsSecret(said)).toBe(false);
    expect(containsSecret('sk-abcdefghijkl')).toBe(true);
  });
});
