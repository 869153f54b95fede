import { setTimeout as sleep } from 'node:timers/promises';
import { MessageFlags, type APIMessage } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { fixture } from './support/audio.ts';
import type { RunningBot } from './support/start-bot.ts';
import { expectMonoWav, readWav } from './support/converted.ts';
import type { DispatchedInteraction, EditBody } from './support/discord-stand-in/index.ts';
import { DEFAULT_USER_ID } from './support/discord-stand-in/fixtures.ts';
import { sha256 } from './support/dmxapi-stand-in.ts';
import { fileIdIn, sendUpload } from './support/upload-flow.ts';
import { voiceMessage } from './support/ogg-opus.ts';
import { EVERY_UPLOAD } from './support/history-viewers.ts';
import { e2eBots } from './support/e2e-bots.ts';

const bots = e2eBots();

let r: RunningBot;

/**
 * A Discord voice message as clients post it: flag IS_VOICE_MESSAGE (1 << 13), one Ogg/Opus
 * attachment carrying `duration_secs` and `waveform`.
 */
function postVoiceMessage(bot: RunningBot, bytes: Buffer, durationSecs: number): APIMessage {
  return bot.discord.postChannelMessage({
    flags: MessageFlags.IsVoiceMessage,
    attachments: [
      {
        filename: 'voice-message.ogg',
        bytes,
        contentType: 'audio/ogg',
        voice: { durationSecs, waveform: 'AAAAAAAA' },
      },
    ],
  });
}

interface Button {
  custom_id?: string;
  style?: number;
}

async function prompt(menu: DispatchedInteraction): Promise<EditBody> {
  return (await menu.waitForEdit((body) => (body.components?.length ?? 0) > 0)).body as EditBody;
}

function buttons(body: EditBody): Button[] {
  return ((body.components ?? []) as { components?: Button[] }[]).flatMap((row) => row.components ?? []);
}

describe('a voice message through "Upload voice sample"', () => {
  it('suggests the purpose from its length, converts it, and DMXAPI receives a mono WAV', async () => {
    r = await bots.start();
    const posted = fixture('voice-message-12s.ogg');
    const sample = postVoiceMessage(r, posted, 12.6);
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    const asked = await prompt(menu);
    expect(asked.embeds?.[0]?.description).toContain(
      'This voice message lasts 12.6 s, which fits **Voice to clone** (10 s to 5 min).',
    );
    const primary = buttons(asked).find((b) => b.style === 1);
    expect(primary?.custom_id).toBe('upload-message:purpose:voice_clone');

    bots.dmxapi.script({ kind: 'success', fileId: '7070' });
    // The "Converting…" stage is shown only if it lasts past the one-edit-per-second throttle, so it is
    // checked where it is deterministic: the pipeline reports it (convert-pipeline) and the embed says it
    // (replies).
    r.discord.dispatchButton(menu, 'upload-message:purpose:voice_clone');
    const reply = await r.discord.waitForRequest(
      (q) => q.method === 'POST' && q.path.endsWith(`/channels/${sample.channel_id}/messages`),
    );
    const embed = (reply.body as { embeds?: { fields?: { name: string; value: string }[] }[] }).embeds?.[0];
    const converted = embed?.fields?.find((f) => f.name === 'Converted');
    expect(converted?.value).toMatch(/^Ogg Opus voice message → WAV 48 kHz mono \(1\.2 MiB\)$/);

    const sent = bots.dmxapi.lastAudio ?? Buffer.alloc(0);
    const length = await expectMonoWav(sent, 48_000);
    expect(length).toBeCloseTo(12.6, 1);
    // The history keys on the voice message itself, so posting it again spends nothing.
    const [record] = r.bot.history.search(
      r.discord.guildIds[0] ?? '',
      {},
      { offset: 0, limit: 1 },
      EVERY_UPLOAD,
    ).records;
    expect(record).toMatchObject({ fileId: '7070', purpose: 'voice_clone' });
    expect(
      r.bot.history.findDuplicate(
        r.discord.guildIds[0] ?? '',
        sha256(posted),
        'voice_clone',
        DEFAULT_USER_ID,
      ),
    ).toMatchObject({ fileId: '7070' });
  });

  it('suggests a prompt clip for a short one, and explains when neither purpose fits', async () => {
    // Nobody answers these prompts: they expire quickly so the bot can stop.
    r = await bots.start({ bot: { promptTimeoutMs: 1000 } });
    const short = r.discord.dispatchMessageCommand({
      name: 'Upload voice sample',
      targetMessage: postVoiceMessage(r, fixture('voice-message-12s.ogg'), 4.2),
    });
    const shortPrompt = await prompt(short);
    expect(shortPrompt.embeds?.[0]?.description).toContain('fits **Prompt clip** (shorter than 8 s)');
    expect(buttons(shortPrompt).find((b) => b.style === 1)?.custom_id).toBe(
      'upload-message:purpose:prompt_audio',
    );

    const between = r.discord.dispatchMessageCommand({
      name: 'Upload voice sample',
      targetMessage: postVoiceMessage(r, fixture('voice-message-12s.ogg'), 9),
      locale: 'zh-CN',
    });
    const neither = await prompt(between);
    expect(neither.embeds?.[0]?.description).toContain('这条语音消息时长 9.0 秒，不符合任何用途');
    expect(buttons(neither).every((b) => b.style !== 1)).toBe(true);
  });

  it('with FFMPEG_PATH pointing nowhere, an MP4 is refused naming the format and what to install', async () => {
    r = await bots.start({ env: { FFMPEG_PATH: '/nonexistent/ffmpeg' } });
    expect(r.logs()).toContain('ffmpeg conversion unavailable');
    const result = await sendUpload(r.discord, bots.dmxapi, {
      fileName: 'clip.mp4',
      bytes: fixture('video-12s.mp4'),
    });
    expect(result.dmxapiRequests).toBe(0);
    expect(result.text).toContain('This format needs ffmpeg');
    expect(result.text).toContain('**clip.mp4** is MP4');
    expect(result.text).toContain('apt-get install ffmpeg');
    // Formats decoded in-process still work without it.
    const flac = await sendUpload(r.discord, bots.dmxapi, {
      fileName: 'prompt.flac',
      bytes: fixture('prompt-3s.flac'),
      purpose: 'prompt_audio',
    });
    expect(flac.text).toContain('FLAC → WAV 44.1 kHz mono');
  });
});

describe('four long voice messages converting at once', () => {
  it('leave the bot free: a command sent meanwhile is acknowledged before they finish', async () => {
    r = await bots.start({ env: { MAX_CONCURRENT_UPLOADS: '4', INSPECT_TIMEOUT_MS: '60000' } });
    const busyWorkers = async () => {
      const metric = await r.bot.metrics.registry.getSingleMetric('voicebot_audio_workers')?.get();
      return metric?.values.find((value) => value.labels.state === 'busy')?.value ?? 0;
    };
    const before = bots.dmxapi.received.length;
    // Four members, four different recordings (the same bytes would be converted once).
    const uploads = [117, 118, 119, 120].map((seconds, index) =>
      sendUpload(r.discord, bots.dmxapi, {
        fileName: `long-${seconds}.ogg`,
        bytes: voiceMessage(seconds),
        userId: `30000000000000010${index}`,
        timeoutMs: 60_000,
      }),
    );
    for (let waited = 0; (await busyWorkers()) < 4; waited += 20) {
      if (waited > 30_000) throw new Error(`only ${await busyWorkers()} audio workers busy after 30 s`);
      await sleep(20);
    }

    const meanwhile = r.discord.dispatchChatInputCommand({ name: 'uploads', options: [] });
    await meanwhile.callback();
    // Acknowledged while conversions still ran: not all four had reached DMXAPI yet.
    expect(bots.dmxapi.received.length - before).toBeLessThan(4);

    const results = await Promise.all(uploads);
    expect(new Set(results.map((result) => fileIdIn(result.final))).size).toBe(4);
    expect(bots.dmxapi.received.length - before).toBe(4);
    const wav = await readWav(bots.dmxapi.lastAudio ?? Buffer.alloc(0));
    expect(wav).toMatchObject({ sampleRate: 48_000, channels: 1 });
  }, 90_000);
});
