import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { describeError } from '../src/discord/error-replies.ts';
import { errorReplyMessage } from '../src/discord/error-reply-message.ts';
import { AccessDeniedError } from '../src/discord/errors.ts';
import type { Catalogue } from '../src/i18n/index.ts';
import { enUS } from '../src/i18n/en-US/index.ts';
import { EmptyAudioError, UnsupportedAudioFormatError } from '../src/audio/errors.ts';
import { startBot, type RunningBot } from './support/start-bot.ts';
import { DmxapiStandIn } from './support/dmxapi-stand-in.ts';
import { makeWav } from './support/audio.ts';
import { ERROR_COLOR, fileIdIn, sendUpload } from './support/upload-flow.ts';
import { makeWebm } from './support/webm.ts';

describe('one function turns any error into a reply', () => {
  it('gives each known error its own reply, and anything else the internal one with a reference', () => {
    expect(describeError(enUS, new AccessDeniedError('missing_role'), '').text.title).toBe('Missing role');
    expect(describeError(enUS, new EmptyAudioError(), 'a.mp3').reference).toBeUndefined();

    const bug = describeError(enUS, new RangeError('internals'), 'a.mp3');
    expect(bug.text.title).toBe('Something went wrong');
    expect(bug.reference).toMatch(/^[0-9a-f]{8}$/);
    // A subclass nobody exported is not one of the known errors: it is a bug, not a refusal.
    class Unexported extends EmptyAudioError {}
    expect(describeError(enUS, new Unexported(), 'a.mp3').reference).toMatch(/^[0-9a-f]{8}$/);
  });

  it('falls back to one plain line, no embed, when drawing the reply fails', () => {
    const broken: Catalogue = {
      ...enUS,
      errors: {
        ...enUS.errors,
        empty: () => {
          throw new RangeError('a catalogue entry that throws');
        },
      },
    };
    const { message, reference, renderError } = errorReplyMessage(broken, new EmptyAudioError(), 'a.mp3');
    expect(renderError).toBeInstanceOf(RangeError);
    expect(reference).toMatch(/^[0-9a-f]{8}$/);
    expect(message.embeds).toEqual([]);
    expect(message.content).toBe(enUS.replyFailed(reference ?? ''));
    expect(message.allowedMentions).toEqual({ parse: [], repliedUser: false });
  });

  it('draws the normal embed when nothing fails', () => {
    const { message, renderError } = errorReplyMessage(
      enUS,
      new UnsupportedAudioFormatError('Ogg (Opus)'),
      'a.ogg',
    );
    expect(renderError).toBeUndefined();
    expect(message.content).toBeUndefined();
    expect(message.embeds).toHaveLength(1);
  });
});

describe('a reply is sent whatever the file holds', () => {
  let dmxapi: DmxapiStandIn;
  let running: RunningBot;

  beforeAll(async () => {
    dmxapi = await DmxapiStandIn.start();
    running = await startBot(dmxapi);
  });

  afterAll(async () => {
    await running.stop({ removeData: true });
    await dmxapi.close();
  });

  it('answers a file whose codec name is 5,000 characters long with its refusal, the name cut', async () => {
    const result = await sendUpload(running.discord, dmxapi, {
      fileName: 'huge-codec.webm',
      bytes: makeWebm(`A_${'x'.repeat(5000)}`),
    });
    expect(result.dmxapiRequests).toBe(0);
    expect(result.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(result.text).toMatch(/x…/);
    expect(JSON.stringify(result.final).length).toBeLessThan(2000);
    expect(running.logs()).not.toContain('could not send the error reply');
    expect(running.logs()).not.toContain('could not render the error reply');

    const next = await sendUpload(running.discord, dmxapi, { fileName: 'next.wav', bytes: makeWav(11) });
    expect(fileIdIn(next.final)).toMatch(/^\d+$/);
  });

  it('shows a codec name that holds a masked link as text, posting no link', async () => {
    const result = await sendUpload(running.discord, dmxapi, {
      fileName: 'link-codec.webm',
      bytes: makeWebm('A_[x](https://evil.example)'),
    });
    expect(result.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(result.text).toContain('\\[x\\](https:\u200b//evil.example)');
    expect(JSON.stringify(result.final)).not.toContain('https://evil.example');
    expect(result.dmxapiRequests).toBe(0);
  });
});
