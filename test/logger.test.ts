import { Writable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../src/config.ts';
import { createLogger } from '../src/logger.ts';

function capture(): { lines: () => Record<string, unknown>[]; text: () => string; stream: Writable } {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return {
    stream,
    text: () => text,
    lines: () =>
      text
        .trim()
        .split('\n')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('logger', () => {
  it('redacts credentials by configuration, wherever they are nested', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    const config = parseConfig({
      DISCORD_TOKEN: 'discord-token-secret',
      DMXAPI_API_KEY: 'sk-api-key-secret',
    });
    logger.info({ config }, 'started');
    logger.info({ request: { headers: { authorization: 'sk-api-key-secret' } } }, 'request');
    logger.child({ apiKey: 'sk-api-key-secret' }).warn({ token: 'interaction-token-secret' }, 'child');
    expect(out.text()).not.toMatch(/secret/);
    expect(out.lines()).toHaveLength(3);
    expect(out.lines()[0]).toMatchObject({
      config: { discord: { token: '[redacted]' }, dmxapi: { apiKey: '[redacted]' } },
    });
  });

  it('redacts interaction tokens and known secrets anywhere in a line: urls, messages, stacks, causes', () => {
    const out = capture();
    const apiKey = 'plain-looking-key-without-a-shape';
    const logger = createLogger('info', out.stream, 'json', { secrets: [apiKey] });
    const token = `aW50ZXJhY3Rpb246${'x'.repeat(40)}`;
    const opaque = 'Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MA';
    const webhook = `https://discord.com/api/v10/webhooks/123456789012345678/${opaque}/messages/@original`;
    const callback = `https://discord.com/api/v10/interactions/223456789012345678/${opaque}/callback`;
    const api = Object.assign(
      new Error(`PATCH ${webhook} failed`, { cause: new Error(`after ${callback}`) }),
      {
        url: webhook,
        requestBody: { json: { note: `key ${apiKey}` } },
      },
    );
    logger.error({ err: api }, 'edit failed');
    logger.warn({ reason: api, nested: { deeper: [callback, `Bearer ${opaque}`] } }, `lost ${webhook}`);
    logger.child({ route: callback }).info({ token2: token }, 'child %s', token);
    logger.error(new AggregateError([new Error(webhook)], `several: sk-${opaque}`));

    const text = out.text();
    expect(out.lines()).toHaveLength(4);
    for (const secret of [opaque, token, apiKey]) expect(text).not.toContain(secret);
    // What was around the secrets is still there to debug with.
    expect(text).toContain('/webhooks/123456789012345678/[redacted]/messages/@original');
    expect(text).toContain('/interactions/223456789012345678/[redacted]/callback');
    expect(out.lines()[0]).toMatchObject({ err: { type: 'Error' }, msg: 'edit failed' });
    expect(JSON.stringify(out.lines()[0])).toContain('caused by');
  });

  it('keeps what is not a secret: ids, digests, file names', () => {
    const out = capture();
    const logger = createLogger('info', out.stream);
    const fields = {
      fileId: '9007199254740993001',
      sha256: 'a'.repeat(32) + '0123456789abcdef'.repeat(2),
      fileName: 'Alice Take 2 (final).wav',
      interactionId: '1577348032133857295',
      msg: 'the bot restarted; Bearer of good news',
    };
    logger.info(fields);
    expect(out.lines()[0]).toMatchObject(fields);
  });

  it('writes one JSON object per line at or above the configured level', () => {
    const out = capture();
    const logger = createLogger('warn', out.stream);
    logger.info('hidden');
    logger.warn({ code: 'x' }, 'shown');
    expect(out.lines()).toEqual([expect.objectContaining({ level: 40, msg: 'shown', code: 'x' })]);
  });
});
