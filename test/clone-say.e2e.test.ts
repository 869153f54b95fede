import {
  ApplicationCommandOptionType,
  InteractionResponseType,
  MessageFlags,
  PermissionFlagsBits,
  type APIApplicationCommandInteractionDataOption,
  type APIActionRowComponent,
  type APIComponentInMessageActionRow,
  type APIModalInteractionResponseCallbackData,
  ComponentType,
} from 'discord.js';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { VoiceStore } from '../src/history/voice-store.ts';
import { makeWav } from './support/audio.ts';
import { startBot, type RunningBot } from './support/start-bot.ts';
import type { DispatchedInteraction, EditBody } from './support/discord-stand-in/index.ts';
import { DmxapiStandIn, PREVIEW_MP3, SPEECH_MP3 } from './support/dmxapi-stand-in.ts';
import {
  embedText,
  ERROR_COLOR,
  fileIdIn,
  PROGRESS_COLOR,
  sendUpload,
  SUCCESS_COLOR,
} from './support/upload-flow.ts';

const OTHER_USER = '300000000000000777';

let dmxapi: DmxapiStandIn;
let bot: RunningBot;

beforeAll(async () => {
  dmxapi = await DmxapiStandIn.start();
  bot = await startBot(dmxapi, {
    env: {
      DMXAPI_AUDIO_HOSTS: '127.0.0.1',
      DMXAPI_TIMEOUT_MS: '2000',
      SPEECH_MAX_CHARS: '300',
      USER_DAILY_SPEECH_CHARS: '1000',
      USER_DAILY_UPLOAD_LIMIT: '1000',
      // The rate limiters have their own tests; here they must not hold requests for a minute.
      DMXAPI_CLONE_PER_MINUTE: '600',
      DMXAPI_SPEECH_PER_MINUTE: '600',
    },
  });
});
afterEach(() => {
  dmxapi.clearScripts();
});
afterAll(async () => {
  await bot.stop({ removeData: true });
  await dmxapi.close();
});

interface Answer {
  readonly final: EditBody;
  readonly text: string;
  readonly ephemeral: boolean;
}

/** The interaction's final answer: an immediate reply, or the first edit past progress. */
async function answerOf(interaction: DispatchedInteraction): Promise<Answer> {
  const callback = await interaction.callback();
  const body = callback.body as { type?: number; data?: EditBody & { flags?: number } };
  if (body.type === InteractionResponseType.ChannelMessageWithSource && body.data) {
    return {
      final: body.data,
      text: embedText(body.data),
      ephemeral: ((body.data.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
    };
  }
  const edit = await interaction.waitForEdit((edited) => {
    const color = edited.embeds?.[0]?.color;
    return color !== undefined && color !== PROGRESS_COLOR;
  });
  const final = edit.body as EditBody;
  const deferredFlags = (body.data?.flags ?? 0) & MessageFlags.Ephemeral;
  return { final, text: embedText(final), ephemeral: deferredFlags !== 0 };
}

function string(name: string, value: string): APIApplicationCommandInteractionDataOption {
  return { type: ApplicationCommandOptionType.String, name, value };
}

function slash(
  name: string,
  options: APIApplicationCommandInteractionDataOption[],
  user: { userId?: string; memberRoles?: string[]; locale?: string } = {},
) {
  return bot.discord.dispatchChatInputCommand({ name, options, ...user });
}

function customIds(final: EditBody): string[] {
  return (final.components ?? []).flatMap((row) =>
    (row as APIActionRowComponent<APIComponentInMessageActionRow>).components.map((c) =>
      'custom_id' in c ? c.custom_id : '',
    ),
  );
}

let samples = 0;
/** A fresh voice_clone sample uploaded by `userId` (the default member unless given). */
async function uploadSample(purpose: 'voice_clone' | 'prompt_audio' = 'voice_clone', fileName?: string) {
  samples++;
  const bytes = purpose === 'voice_clone' ? makeWav(11 + samples / 1000) : makeWav(3 + samples / 1000);
  const result = await sendUpload(bot.discord, dmxapi, {
    fileName: fileName ?? `sample-${samples}.wav`,
    bytes,
    purpose,
  });
  const fileId = fileIdIn(result.final);
  if (fileId === undefined) throw new Error(`upload failed: ${result.text}`);
  return { ...result, fileId };
}

/** A text input of the modal the bot opened, whether in a label or an action row. */
function textInput(modal: APIModalInteractionResponseCallbackData | undefined, customId: string) {
  for (const top of modal?.components ?? []) {
    const inner = 'component' in top ? [top.component] : 'components' in top ? top.components : [top];
    for (const component of inner) {
      if (component.type === ComponentType.TextInput && component.custom_id === customId) return component;
    }
  }
  return undefined;
}

function voiceStore(): VoiceStore {
  return new VoiceStore(bot.bot.history.database);
}

describe('the whole path in chat: upload → Clone this voice → preview → Say something → audio', () => {
  it('goes from a sample to hearing the voice without typing an id', async () => {
    const upload = await uploadSample('voice_clone', 'alice take 1.wav');
    expect(customIds(upload.final)).toEqual([`clone:open:${upload.fileId}`]);

    const button = bot.discord.dispatchButton(upload.interaction, `clone:open:${upload.fileId}`);
    expect((await button.callback()).body).toMatchObject({ type: InteractionResponseType.Modal });
    const modal = button.modal();
    expect(modal?.custom_id).toBe(`clone:modal:${upload.fileId}`);
    // Prefilled with a valid suggestion from the uploader's name and today's date.
    expect(textInput(modal, 'voice_id')?.value).toMatch(/^tester-\d{8}(-\d+)?$/);

    const before = dmxapi.received.length;
    const submitted = bot.discord.dispatchModalSubmit(button, { voice_id: 'AliceTake1Voice' });
    const cloned = await answerOf(submitted);
    expect(cloned.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(cloned.text).toContain('```\nAliceTake1Voice\n```');
    expect(cloned.text).toContain('alice take 1.wav');
    expect(cloned.text).toMatch(/<t:\d+:F>/);
    expect(cloned.text).toContain('clone fee');
    expect(cloned.ephemeral).toBe(false);

    // Exactly one clone request, its body exactly as documented.
    const cloneRequests = dmxapi.received
      .slice(before)
      .filter((r) => r.model === 'minimax-clone-lastversion');
    expect(cloneRequests).toHaveLength(1);
    expect(cloneRequests[0]?.problems).toEqual([]);
    expect(cloneRequests[0]?.text).toContain(`"input":[{"file_id":${upload.fileId}}]`);
    expect(cloneRequests[0]?.json?.voice_id).toBe('AliceTake1Voice');

    // The preview was downloaded at once and attached so Discord shows a player.
    const cloneMessage = submitted.originalMessage();
    const preview = cloneMessage?.attachments.find((a) => a.filename === 'AliceTake1Voice-preview.mp3');
    expect(preview).toBeDefined();
    expect(Buffer.from(bot.discord.attachmentBytes(preview ?? { url: '' }) ?? []).equals(PREVIEW_MP3)).toBe(
      true,
    );
    expect(voiceStore().get('AliceTake1Voice')).toMatchObject({ sourceFileId: upload.fileId, useCount: 0 });

    const sayId = customIds(cloned.final)[0] ?? '';
    expect(sayId).toMatch(/^say:open:\d+$/);
    const sayButton = bot.discord.dispatchButton(submitted, sayId);
    await sayButton.callback();
    expect(textInput(sayButton.modal(), 'text')).toMatchObject({ max_length: 300, required: true });
    const sayModal = bot.discord.dispatchModalSubmit(sayButton, { text: 'Hello from Alice.' });
    const spoken = await answerOf(sayModal);
    expect(spoken.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(spoken.text).toContain('Hello from Alice.');
    expect(spoken.text).toContain('first speech with this voice');
    expect(spoken.text).toContain('17 (17 of your 1,000 in 24 hours)');

    const speechRequest = dmxapi.received.at(-1);
    expect(speechRequest?.problems).toEqual([]);
    expect(speechRequest?.json).toMatchObject({
      model: 'speech-2.8-hd',
      input: 'Hello from Alice.',
      voice_setting: { voice_id: 'AliceTake1Voice' },
      output_format: 'hex',
    });
    const audio = sayModal.originalMessage()?.attachments[0];
    expect(audio?.filename).toMatch(/^AliceTake1Voice-\d{8}-\d{6}\.mp3$/);
    expect(Buffer.from(bot.discord.attachmentBytes(audio ?? { url: '' }) ?? []).equals(SPEECH_MP3)).toBe(
      true,
    );
    expect(voiceStore().get('AliceTake1Voice')).toMatchObject({ useCount: 1 });
  });
});

describe('/clone', () => {
  it("autocompletes this server's samples and prompt clips, newest first, as name · length · uploader · date", async () => {
    const older = await uploadSample('voice_clone', 'bob-older.wav');
    const newer = await uploadSample('voice_clone', 'bob-newer.wav');
    const prompt = await uploadSample('prompt_audio', 'bob-prompt.wav');
    const sample = bot.discord.dispatchAutocomplete({
      name: 'clone',
      options: [{ type: ApplicationCommandOptionType.String, name: 'sample', value: 'bob', focused: true }],
    });
    await sample.callback();
    expect(sample.choices()?.map((c) => c.value)).toEqual([newer.fileId, older.fileId]);
    expect(sample.choices()?.[0]?.name).toMatch(/^bob-newer\.wav · 11\.0 s · tester · \d{4}-\d{2}-\d{2}$/);

    const byId = bot.discord.dispatchAutocomplete({
      name: 'clone',
      options: [
        {
          type: ApplicationCommandOptionType.String,
          name: 'sample',
          value: older.fileId.slice(0, 15),
          focused: true,
        },
      ],
    });
    await byId.callback();
    expect(byId.choices()?.map((c) => c.value)).toContain(older.fileId);

    const prompts = bot.discord.dispatchAutocomplete({
      name: 'clone',
      options: [
        string('sample', newer.fileId),
        { type: ApplicationCommandOptionType.String, name: 'prompt', value: 'bob', focused: true },
      ],
    });
    await prompts.callback();
    expect(prompts.choices()?.map((c) => c.value)).toEqual([prompt.fileId]);
  });

  it('clones with a prompt and every option, and sends each field exactly', async () => {
    const sample = await uploadSample();
    const prompt = await uploadSample('prompt_audio');
    const answer = await answerOf(
      slash('clone', [
        string('sample', sample.fileId),
        string('voice_id', 'WithPrompt_01'),
        string('prompt', prompt.fileId),
        string('prompt_text', 'Hello, this is a short prompt clip.'),
        { type: ApplicationCommandOptionType.Boolean, name: 'noise_reduction', value: true },
        string('language', 'Chinese,Yue'),
      ]),
    );
    expect(answer.text).toContain('WithPrompt_01');
    expect(dmxapi.received.at(-1)?.json).toMatchObject({
      clone_prompt: { prompt_audio: prompt.fileId, prompt_text: 'Hello, this is a short prompt clip.' },
      need_noise_reduction: true,
      need_volume_normalization: false,
      language_boost: 'Chinese,Yue',
    });
  });

  it('only the uploader or a member with Manage Server may clone a sample, and the refusal says who', async () => {
    const sample = await uploadSample();
    const before = dmxapi.received.length;
    const refused = await answerOf(
      slash('clone', [string('sample', sample.fileId), string('voice_id', 'NotMineVoice1')], {
        userId: OTHER_USER,
      }),
    );
    expect(refused.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(refused.text).toContain('only tester, who uploaded this sample');
    expect(dmxapi.received.length).toBe(before);

    // The button refuses before asking anything.
    const button = bot.discord.dispatchButton(sample.interaction, `clone:open:${sample.fileId}`, {
      userId: OTHER_USER,
    });
    const buttonAnswer = await answerOf(button);
    expect(buttonAnswer.text).toContain('Only the uploader may clone');
    expect(buttonAnswer.ephemeral).toBe(true);

    const manager = bot.discord.createRole({
      name: 'managers',
      permissions: PermissionFlagsBits.ManageGuild,
    });
    const allowed = await answerOf(
      slash('clone', [string('sample', sample.fileId), string('voice_id', 'ManagerClone1')], {
        userId: OTHER_USER,
        memberRoles: [manager.id],
      }),
    );
    expect(allowed.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);

    // A file_id the bot never uploaded names nobody: a manager may clone from it, a member may not.
    const elsewhere = '9007199254740993777';
    const unknown = await answerOf(
      slash('clone', [string('sample', elsewhere), string('voice_id', 'ElsewhereVoice1')], {
        userId: OTHER_USER,
      }),
    );
    expect(unknown.text).toContain('Only a server manager may clone from this file');
    expect(dmxapi.received.length).toBe(before + 1);
    await answerOf(
      slash('clone', [string('sample', elsewhere), string('voice_id', 'ElsewhereVoice1')], {
        userId: OTHER_USER,
        memberRoles: [manager.id],
      }),
    );
    // Past the bot's checks: MiniMax, which has no such file, is the one to answer.
    expect(dmxapi.received.at(-1)?.json).toMatchObject({ voice_id: 'ElsewhereVoice1' });
  });

  it('a private upload clones privately through its button, and the voice speaks privately through its own', async () => {
    const upload = await sendUpload(bot.discord, dmxapi, {
      fileName: 'my secret take.wav',
      bytes: makeWav(12.34),
      purpose: 'voice_clone',
      private: true,
    });
    const fileId = fileIdIn(upload.final) ?? '';
    const button = bot.discord.dispatchButton(upload.interaction, `clone:open:${fileId}`);
    await button.callback();
    const submitted = bot.discord.dispatchModalSubmit(button, { voice_id: 'SecretTakeVoice1' });
    const cloned = await answerOf(submitted);
    expect(cloned.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(cloned.ephemeral).toBe(true);
    expect(voiceStore().get('SecretTakeVoice1')).toMatchObject({ private: true });

    const sayButton = bot.discord.dispatchButton(submitted, customIds(cloned.final)[0] ?? '');
    await sayButton.callback();
    const spoken = await answerOf(bot.discord.dispatchModalSubmit(sayButton, { text: 'Only for me.' }));
    expect(spoken.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(spoken.ephemeral).toBe(true);
  });

  it.each([
    [
      'a voice_id breaking a rule, with a valid suggestion',
      'bad voice id!',
      ['only ASCII letters', 'tester-'],
      0,
    ],
    ['a voice_id too short', 'Abc', ['8 to 256 characters'], 0],
    ['a sample id that is not int64', '9223372036854775808', ['`file_id`'], 0],
  ])('refuses %s before sending anything', async (_label, value, parts, requests) => {
    const sample = await uploadSample();
    const before = dmxapi.received.length;
    const options =
      value === '9223372036854775808'
        ? [string('sample', value), string('voice_id', 'ValidVoice01')]
        : [string('sample', sample.fileId), string('voice_id', value)];
    const answer = await answerOf(slash('clone', options));
    expect(answer.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    for (const part of parts) expect(answer.text).toContain(part);
    expect(dmxapi.received.length - before).toBe(requests);
  });

  it('refuses a prompt without its text, a prompt_text without its clip, and a prompt given as sample', async () => {
    const sample = await uploadSample();
    const prompt = await uploadSample('prompt_audio');
    const before = dmxapi.received.length;
    const noText = await answerOf(
      slash('clone', [
        string('sample', sample.fileId),
        string('voice_id', 'PromptNoText1'),
        string('prompt', prompt.fileId),
      ]),
    );
    expect(noText.text).toContain('without `prompt_text`');
    const noClip = await answerOf(
      slash('clone', [
        string('sample', sample.fileId),
        string('voice_id', 'PromptNoClip1'),
        string('prompt_text', 'hi'),
      ]),
    );
    expect(noClip.text).toContain('without a prompt clip');
    const swapped = await answerOf(
      slash('clone', [string('sample', prompt.fileId), string('voice_id', 'SwappedVoice1')]),
    );
    expect(swapped.text).toContain('uploaded as `prompt_audio`');
    expect(dmxapi.received.length).toBe(before);
  });

  it('a voice_id this bot already made is refused with a free suggestion; MiniMax 2039 likewise', async () => {
    const sample = await uploadSample();
    await answerOf(slash('clone', [string('sample', sample.fileId), string('voice_id', 'TakenVoice01')]));
    const before = dmxapi.received.length;
    const again = await answerOf(
      slash('clone', [string('sample', sample.fileId), string('voice_id', 'TakenVoice01')]),
    );
    expect(again.text).toContain('This bot already cloned a voice called `TakenVoice01`');
    expect(again.text).toMatch(/for example `tester-\d{8}/);
    expect(dmxapi.received.length).toBe(before);

    // Made outside the bot: only MiniMax knows it.
    dmxapi.voices.add('MadeElsewhere1');
    const elsewhere = await answerOf(
      slash('clone', [string('sample', sample.fileId), string('voice_id', 'MadeElsewhere1')]),
    );
    expect(elsewhere.text).toContain('2039');
    expect(dmxapi.received.length).toBe(before + 1);
  });

  it('still gives the voice_id when the preview cannot be fetched, and says why', async () => {
    const sample = await uploadSample();
    dmxapi.script({ kind: 'success', demoAudio: dmxapi.previewUrl('x', 'localhost') });
    const answer = await answerOf(
      slash('clone', [string('sample', sample.fileId), string('voice_id', 'NoPreview001')]),
    );
    expect(answer.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(answer.text).toContain('```\nNoPreview001\n```');
    expect(answer.text).toContain('not an allowed audio host');
    expect(answer.final.attachments ?? []).toEqual([]);
    expect(voiceStore().has('NoPreview001')).toBe(true);
  });

  it('says plainly when MiniMax made no preview', async () => {
    const sample = await uploadSample();
    dmxapi.script({ kind: 'success', demoAudio: '' });
    const answer = await answerOf(
      slash('clone', [string('sample', sample.fileId), string('voice_id', 'NoDemoVoice1')]),
    );
    expect(answer.text).toContain('MiniMax made no preview');
  });

  it('a private clone answers only its member, and its voice is theirs alone', async () => {
    const sample = await uploadSample();
    const answer = await answerOf(
      slash('clone', [
        string('sample', sample.fileId),
        string('voice_id', 'PrivateVoice1'),
        { type: ApplicationCommandOptionType.Boolean, name: 'private', value: true },
      ]),
    );
    expect(answer.ephemeral).toBe(true);
    expect(voiceStore().get('PrivateVoice1')?.private).toBe(true);
    const before = dmxapi.received.length;
    const other = await answerOf(
      slash('say', [string('voice', 'PrivateVoice1'), string('text', 'hi')], { userId: OTHER_USER }),
    );
    expect(other.text).toContain('cloned privately by tester');
    expect(dmxapi.received.length).toBe(before);
  });

  it.each([
    [2038, 'real-name verification'],
    [2037, '10 s to 5 min'],
    [1044, 'prompt_text'],
    [20132, '20132'],
  ])('MiniMax %i gets its own reply, and the voice is not recorded', async (code, part) => {
    const sample = await uploadSample();
    dmxapi.script({
      kind: 'reply',
      status: 200,
      body: { base_resp: { status_code: code, status_msg: `said ${code}` } },
    });
    const voiceId = `Refused${code}x`;
    const answer = await answerOf(
      slash('clone', [string('sample', sample.fileId), string('voice_id', voiceId)]),
    );
    expect(answer.final.embeds?.[0]?.color).toBe(ERROR_COLOR);
    expect(answer.text).toContain(part);
    expect(answer.text).toContain(`said ${code}`);
    expect(voiceStore().has(voiceId)).toBe(false);
  });
});

describe('/say', () => {
  it('autocompletes voices the member may use, newest first, then the voice_id they typed', async () => {
    const sample = await uploadSample();
    await answerOf(slash('clone', [string('sample', sample.fileId), string('voice_id', 'ListedVoice1')]));
    const other = bot.discord.dispatchAutocomplete({
      name: 'say',
      options: [{ type: ApplicationCommandOptionType.String, name: 'voice', value: 'listed', focused: true }],
      userId: OTHER_USER,
    });
    await other.callback();
    expect(other.choices()?.map((c) => c.value)).toEqual(['ListedVoice1', 'listed']);
    const privateHidden = bot.discord.dispatchAutocomplete({
      name: 'say',
      options: [
        { type: ApplicationCommandOptionType.String, name: 'voice', value: 'PrivateVoice', focused: true },
      ],
      userId: OTHER_USER,
    });
    await privateHidden.callback();
    expect(privateHidden.choices()?.map((c) => c.value)).not.toContain('PrivateVoice1');
  });

  it('speaks with a MiniMax system voice typed by hand', async () => {
    const answer = await answerOf(
      slash('say', [
        string('voice', 'male-qn-qingse'),
        string('text', '你好'),
        { type: ApplicationCommandOptionType.Number, name: 'speed', value: 1.5 },
        string('emotion', 'calm'),
      ]),
    );
    expect(answer.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    expect(answer.text).not.toContain('first speech');
    expect(dmxapi.received.at(-1)?.json).toMatchObject({
      input: '你好',
      voice_setting: { voice_id: 'male-qn-qingse', speed: 1.5, emotion: 'calm' },
      language_boost: 'auto',
    });
  });

  it('refuses a text over SPEECH_MAX_CHARS with the measured length, before sending anything', async () => {
    const before = dmxapi.received.length;
    const answer = await answerOf(
      slash('say', [string('voice', 'male-qn-qingse'), string('text', 'a'.repeat(301))]),
    );
    expect(answer.text).toContain('301 characters; the limit is 300');
    expect(dmxapi.received.length).toBe(before);
  });

  it('a voice MiniMax does not know for this account gets the 2042 reply, and nothing is counted', async () => {
    const answer = await answerOf(slash('say', [string('voice', 'NobodyHasThis1'), string('text', 'hello')]));
    expect(answer.text).toContain('2042');
  });

  it('keeps each member within USER_DAILY_SPEECH_CHARS, saying when enough frees up', async () => {
    const user = '300000000000000888';
    const long = 'x'.repeat(300);
    for (let i = 0; i < 3; i++) {
      const ok = await answerOf(
        slash('say', [string('voice', 'male-qn-qingse'), string('text', long)], { userId: user }),
      );
      expect(ok.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    }
    const before = dmxapi.received.length;
    const refused = await answerOf(
      slash('say', [string('voice', 'male-qn-qingse'), string('text', long)], { userId: user }),
    );
    expect(refused.text).toContain('You used 900 of your 1,000 speech characters');
    expect(refused.text).toMatch(/<t:\d+:R>/);
    expect(dmxapi.received.length).toBe(before);
  });

  it('a failure that proves nothing was billed gives the characters back', async () => {
    const user = '300000000000000999';
    dmxapi.script({
      kind: 'reply',
      status: 200,
      body: { base_resp: { status_code: 1026, status_msg: 'sensitive' } },
    });
    const refused = await answerOf(
      slash('say', [string('voice', 'male-qn-qingse'), string('text', 'x'.repeat(300))], { userId: user }),
    );
    expect(refused.text).toContain('1026');
    for (let i = 0; i < 3; i++) {
      const ok = await answerOf(
        slash('say', [string('voice', 'male-qn-qingse'), string('text', 'y'.repeat(300))], { userId: user }),
      );
      expect(ok.final.embeds?.[0]?.color).toBe(SUCCESS_COLOR);
    }
  });
});

describe('a paid result whose interaction can no longer be answered', () => {
  /** DMXAPI answers only once the returned function is called. */
  function holdNextAnswer(): () => void {
    let release!: () => void;
    const until = new Promise<void>((resolve) => (release = resolve));
    dmxapi.script({ kind: 'success', until });
    return release;
  }

  async function postedInChannel(text: string) {
    const find = () => bot.discord.channelMessages().find((m) => JSON.stringify(m).includes(text));
    await bot.discord.waitForRequest(() => find() !== undefined, 15_000);
    return find();
  }

  it('posts the speech, audio attached, in the channel and pings its member', async () => {
    const release = holdNextAnswer();
    const before = dmxapi.received.length;
    // A member of their own: the tests above spent the default member's daily characters.
    const member = '300000000000000888';
    slash('say', [string('voice', 'male-qn-qingse'), string('text', 'Said after the token expired')], {
      userId: member,
    });
    await dmxapi.waitForRequests(before + 1);
    bot.discord.expireInteractions();
    release();

    const posted = await postedInChannel('Said after the token expired');
    expect(posted?.content).toContain(`<@${member}>`);
    expect(posted?.mentions.map((user) => user.id)).toEqual([member]);
    expect(posted?.attachments.map((a) => a.filename)).toEqual([expect.stringMatching(/\.mp3$/)]);
    expect(bot.logs()).not.toContain('handler crashed');
  });

  it('posts the cloned voice_id in the channel when its reply fails', async () => {
    const { fileId } = await uploadSample();
    const release = holdNextAnswer();
    const before = dmxapi.received.length;
    slash('clone', [string('sample', fileId), string('voice_id', 'LateCloneVoice1')]);
    await dmxapi.waitForRequests(before + 1);
    bot.discord.expireInteractions();
    release();

    const posted = await postedInChannel('LateCloneVoice1');
    expect(posted?.content).toContain('<@300000000000000001>');
    expect(JSON.stringify(posted?.embeds)).toContain('LateCloneVoice1');
  });
});
