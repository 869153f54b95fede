import { ComponentType } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { fixture, makeWav } from './support/audio.ts';
import type { RunningBot } from './support/start-bot.ts';
import type { DispatchedInteraction, EditBody } from './support/discord-stand-in/index.ts';
import { sha256 } from './support/dmxapi-stand-in.ts';
import { EVERY_UPLOAD } from './support/history-viewers.ts';
import { e2eBots } from './support/e2e-bots.ts';

const bots = e2eBots();

let r: RunningBot;

function title(body: EditBody | undefined): string | undefined {
  return body?.embeds?.[0]?.title;
}

interface PlainComponent {
  type: number;
  custom_id?: string;
  components?: PlainComponent[];
}

/** The prompt's components, rows flattened, as the bot sent them. */
function components(body: EditBody): PlainComponent[] {
  return ((body.components ?? []) as PlainComponent[]).flatMap((row) => row.components ?? []);
}
const customIds = (body: EditBody) => components(body).map((c) => c.custom_id);
const componentTypes = (body: EditBody) => components(body).map((c) => c.type);

/** Waits for the ephemeral prompt, the edit that carries the purpose buttons. */
async function prompt(menu: DispatchedInteraction): Promise<EditBody> {
  const edit = await menu.waitForEdit((body) => (body.components?.length ?? 0) > 0);
  return edit.body as EditBody;
}

describe('"Upload voice sample" on a message', () => {
  it('asks for the purpose, uploads, and replies to the sample with the file_id', async () => {
    r = await bots.start();
    const sample = r.discord.postChannelMessage({
      content: 'here is my voice',
      attachments: [{ filename: 'me.mp3', bytes: fixture('voice-12s.mp3'), contentType: 'audio/mpeg' }],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    const asked = await prompt(menu);
    expect(title(asked)).toBe('Upload voice sample');
    expect(customIds(asked)).toEqual([
      'upload-message:purpose:voice_clone',
      'upload-message:purpose:prompt_audio',
    ]);

    bots.dmxapi.script({ kind: 'success', fileId: '8080' });
    r.discord.dispatchButton(menu, 'upload-message:purpose:voice_clone');
    const posted = await r.discord.waitForRequest(
      (q) => q.method === 'POST' && q.path.endsWith(`/channels/${sample.channel_id}/messages`),
    );
    const body = posted.body as {
      message_reference?: { message_id?: string };
      embeds?: { description?: string }[];
      allowed_mentions?: unknown;
    };
    expect(body.message_reference?.message_id).toBe(sample.id);
    expect(body.embeds?.[0]?.description).toContain('```\n8080\n```');
    expect(body.allowed_mentions).toEqual({ parse: [], replied_user: false });
    expect(bots.dmxapi.received.at(-1)?.sha256).toBe(sha256(fixture('voice-12s.mp3')));

    const done = await menu.waitForEdit((edit) => title(edit)?.startsWith('Done') ?? false);
    expect((done.body as EditBody).components).toEqual([]);
    const [record] = r.bot.history.search(
      r.discord.guildIds[0] ?? '',
      {},
      { offset: 0, limit: 1 },
      EVERY_UPLOAD,
    ).records;
    expect(record).toMatchObject({ fileId: '8080', fileName: 'me.mp3', purpose: 'voice_clone' });
    expect(record?.messageUrl).toBe(
      `https://discord.com/channels/${r.discord.guildIds[0] ?? ''}/${sample.channel_id}/${sample.id}`,
    );
  });

  it("shows the upload's progress on the prompt as /upload does, and none after the result", async () => {
    r = await bots.start();
    const sample = r.discord.postChannelMessage({
      attachments: [{ filename: 'slow.wav', bytes: makeWav(12.25), contentType: 'audio/wav' }],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    await prompt(menu);
    // DMXAPI takes a while, so the throttled editor has time to show the upload stage.
    bots.dmxapi.script({ kind: 'success', fileId: '7070', delayMs: 1500 });
    r.discord.dispatchButton(menu, 'upload-message:purpose:voice_clone');
    const uploading = await menu.waitForEdit(
      (edit) => edit.embeds?.[0]?.description?.includes('Uploading') ?? false,
    );
    expect(title(uploading.body as EditBody)).toBe('Uploading voice sample');
    expect((uploading.body as EditBody).allowed_mentions).toEqual({ parse: [], replied_user: false });

    await menu.waitForEdit((edit) => title(edit)?.startsWith('Done') ?? false);
    await new Promise((resolve) => setTimeout(resolve, 1200));
    const edits = menu.requests().filter((q) => q.method === 'PATCH');
    expect(title(edits.at(-1)?.body as EditBody)).toMatch(/^Done/);
  });

  it('lets the member pick one of several audio attachments', async () => {
    r = await bots.start();
    const sample = r.discord.postChannelMessage({
      attachments: [
        { filename: 'notes.txt', bytes: Buffer.from('not audio'), contentType: 'text/plain' },
        { filename: 'prompt.wav', bytes: fixture('prompt-3s.wav'), contentType: 'audio/wav' },
        { filename: 'voice.m4a', bytes: fixture('voice-12s.m4a'), contentType: 'audio/mp4' },
      ],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    const asked = await prompt(menu);
    expect(componentTypes(asked)).toEqual([
      ComponentType.StringSelect,
      ComponentType.Button,
      ComponentType.Button,
    ]);
    expect(asked.embeds?.[0]?.description).toContain('**prompt.wav**');

    const m4a = sample.attachments.find((a) => a.filename === 'voice.m4a');
    const picked = r.discord.dispatchSelect(menu, 'upload-message:pick', [m4a?.id ?? '']);
    await picked.callback();
    r.discord.dispatchButton(menu, 'upload-message:purpose:voice_clone');
    await r.discord.waitForRequest((q) => q.method === 'POST' && q.path.endsWith('/messages'));
    expect(bots.dmxapi.received.at(-1)?.sha256).toBe(sha256(fixture('voice-12s.m4a')));
  });

  it("offers a phone's video, whatever Discord calls its type, and never a picture", async () => {
    r = await bots.start();
    const sample = r.discord.postChannelMessage({
      attachments: [
        { filename: 'photo.png', bytes: Buffer.from('png'), contentType: 'image/png' },
        { filename: 'IMG_0042.MOV', bytes: Buffer.from('mov'), contentType: 'video/quicktime' },
        { filename: 'clip.3gp', bytes: Buffer.from('3gp'), contentType: 'application/octet-stream' },
      ],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    const asked = await prompt(menu);
    expect(asked.embeds?.[0]?.description).toContain('**IMG\\_0042.MOV**');
    const select = (asked.components?.[0] as { components?: { options?: { label: string }[] }[] })
      .components?.[0];
    expect(select?.options?.map((option) => option.label)).toEqual(['IMG_0042.MOV', 'clip.3gp']);
  });

  it('posts through the interaction where the bot may not reply to the message', async () => {
    r = await bots.start();
    r.discord.denyChannelMessages(true);
    const sample = r.discord.postChannelMessage({
      attachments: [{ filename: 'p.wav', bytes: makeWav(4), contentType: 'audio/wav' }],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    await prompt(menu);
    bots.dmxapi.script({ kind: 'success', fileId: '9090' });
    r.discord.dispatchButton(menu, 'upload-message:purpose:prompt_audio');
    const followUp = await r.discord.waitForRequest(
      (q) => q.method === 'POST' && q.path.includes(`/webhooks/`),
    );
    const body = followUp.body as { embeds?: { description?: string }[]; flags?: number };
    expect(body.embeds?.[0]?.description).toContain('```\n9090\n```');
    expect((body.flags ?? 0) & 64).toBe(0);
    const done = await menu.waitForEdit((edit) => title(edit)?.startsWith('Done') ?? false);
    expect(title(done.body as EditBody)).toContain('posted here in the channel');
  });

  it('says so when the message has no audio', async () => {
    r = await bots.start();
    const sample = r.discord.postChannelMessage({ content: 'just text' });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    const reply = await menu.waitForEdit((body) => title(body) === 'No audio to upload');
    expect((reply.body as EditBody).embeds?.[0]?.description).toBe('That message has no attachments.');
  });

  it('expires the prompt cleanly when nobody answers, uploading nothing', async () => {
    r = await bots.start({ bot: { promptTimeoutMs: 300 } });
    const before = bots.dmxapi.received.length;
    const sample = r.discord.postChannelMessage({
      attachments: [{ filename: 'x.wav', bytes: makeWav(11), contentType: 'audio/wav' }],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    await prompt(menu);
    const expired = await menu.waitForEdit((body) => title(body)?.includes('expired') ?? false);
    expect((expired.body as EditBody).components).toEqual([]);
    expect(bots.dmxapi.received.length).toBe(before);
  });
});

describe('a paid result whose sample message was deleted', () => {
  it('is posted in the channel without the reference, and the member is told where', async () => {
    r = await bots.start({ env: { INSPECT_TIMEOUT_MS: '60000' } });
    const sample = r.discord.postChannelMessage({
      attachments: [{ filename: 'gone.wav', bytes: makeWav(12.4), contentType: 'audio/wav' }],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    await prompt(menu);
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    bots.dmxapi.script({ kind: 'success', fileId: '10008', until });
    const before = bots.dmxapi.received.length;
    r.discord.dispatchButton(menu, 'upload-message:purpose:voice_clone');
    await bots.dmxapi.waitForRequests(before + 1);
    // The member deletes the sample while DMXAPI is storing it.
    r.discord.deleteMessage(sample.id);
    release();

    const done = await menu.waitForEdit((edit) => title(edit)?.startsWith('Done') ?? false);
    const [posted] = r.discord.channelMessages();
    expect(posted?.embeds[0]?.description).toContain('```\n10008\n```');
    expect(posted?.message_reference).toBeUndefined();
    expect(posted?.channel_id).toBe(sample.channel_id);
    expect(title(done.body as EditBody)).toContain('sample message was deleted');
    expect((done.body as EditBody).embeds?.[0]?.description).toBe(
      `https://discord.com/channels/${r.discord.guildIds[0] ?? ''}/${sample.channel_id}/${posted?.id ?? ''}`,
    );
    expect(r.logs()).not.toContain('handler crashed');
  });
});

describe('an open prompt at shutdown', () => {
  it('is ended at once, saying the bot restarted, instead of holding the shutdown for minutes', async () => {
    r = await bots.start();
    const before = bots.dmxapi.received.length;
    const sample = r.discord.postChannelMessage({
      attachments: [{ filename: 'left.wav', bytes: makeWav(12.7), contentType: 'audio/wav' }],
    });
    const menu = r.discord.dispatchMessageCommand({ name: 'Upload voice sample', targetMessage: sample });
    await prompt(menu);

    // The prompt would wait five minutes for a choice; the test's own timeout is far shorter.
    const stopped = r.bot.stop();
    const ended = await menu.waitForEdit((body) => title(body)?.includes('restarted') ?? false);
    expect((ended.body as EditBody).components).toEqual([]);
    expect(title(ended.body as EditBody)).toContain('Upload voice sample');
    await stopped;
    expect(bots.dmxapi.received.length).toBe(before);
  });
});
