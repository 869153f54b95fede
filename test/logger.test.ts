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

  it('writes one JSON object per line at or above the configured level', () => {
    const out = capture();
    const logger = createLogger('warn', out.stream);
    logger.info('hidden');
    logger.warn({ code: 'x' }, 'shown');
    expect(out.lines()).toEqual([expect.objectContaining({ level: 40, msg: 'shown', code: 'x' })]);
  });
});
