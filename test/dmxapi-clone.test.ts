import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DmxapiClient, type CloneVoiceInput } from '../src/dmxapi/client.ts';
import { DmxapiMalformedResponseError, DmxapiServiceError } from '../src/dmxapi/errors.ts';
import { InvalidRequestValueError, VoiceIdInvalidError } from '../src/dmxapi/input-errors.ts';
import { PreviewDownloadFailedError } from '../src/pipeline/errors.ts';
import { downloadPreview } from '../src/pipeline/preview-download.ts';
import { clientOptions, DmxapiStandIn, PREVIEW_MP3 } from './support/dmxapi-stand-in.ts';

const SAMPLE = '365592225681803';
const PROMPT = '365589324152946';
const HUGE = '9223372036854775807';
let standIn: DmxapiStandIn;
let client: DmxapiClient;

beforeEach(async () => {
  standIn = await DmxapiStandIn.start();
  standIn.files.set(SAMPLE, 'voice_clone');
  standIn.files.set(PROMPT, 'prompt_audio');
  standIn.files.set(HUGE, 'voice_clone');
  client = new DmxapiClient(clientOptions(standIn.baseUrl, { timeoutMs: 2000 }));
});

afterEach(async () => {
  await client.close();
  await standIn.close();
});

const clone = (input: Partial<CloneVoiceInput> = {}) =>
  client.cloneVoice({ sampleFileId: SAMPLE, voiceId: 'TeamAlice2026', ...input });

describe('cloneVoice request', () => {
  it('sends the documented body, with the model from DMXAPI_CLONE_MODEL and no prompt', async () => {
    const voice = await clone();
    const [request] = standIn.received;
    expect(request?.problems).toEqual([]);
    expect(request?.text).toBe(
      `{"model":"minimax-clone-lastversion","input":[{"file_id":${SAMPLE}}],"voice_id":"TeamAlice2026",` +
        `"need_noise_reduction":false,"need_volume_normalization":false,"aigc_watermark":false,"language_boost":""}`,
    );
    expect(voice).toMatchObject({ voiceId: 'TeamAlice2026', inputSensitive: false, attempts: 1 });
    expect(voice.demoAudioUrl).toBe(standIn.previewUrl('TeamAlice2026'));
  });

  it('writes ids above 2^53 with their exact digits, prompt fields together, options as given', async () => {
    await clone({
      sampleFileId: HUGE,
      voiceId: 'Bob_voice-2',
      prompt: { fileId: PROMPT, text: '  Hello, this is a short prompt clip.  ' },
      noiseReduction: true,
      volumeNormalization: true,
      languageBoost: 'Chinese,Yue',
    });
    const [request] = standIn.received;
    expect(request?.problems).toEqual([]);
    expect(request?.text).toContain(`"input":[{"file_id":${HUGE}}]`);
    expect(request?.json).toEqual({
      model: 'minimax-clone-lastversion',
      input: [{ file_id: HUGE }],
      voice_id: 'Bob_voice-2',
      clone_prompt: { prompt_audio: PROMPT, prompt_text: 'Hello, this is a short prompt clip.' },
      need_noise_reduction: true,
      need_volume_normalization: true,
      aigc_watermark: false,
      language_boost: 'Chinese,Yue',
    });
  });

  it.each([
    ['too short', 'Abc1234', 'length'],
    ['too long', `A${'b'.repeat(256)}`, 'length'],
    ['starting with a digit', '1TeamAlice', 'first_character'],
    ['with a space', 'Team Alice', 'characters'],
    ['with a non-ASCII letter', 'TeamAlicé1', 'characters'],
    ['ending in -', 'TeamAlice-', 'last_character'],
    ['ending in _', 'TeamAlice_', 'last_character'],
  ])('refuses a voice_id %s before sending anything', async (_label, voiceId, rule) => {
    const error: unknown = await clone({ voiceId }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VoiceIdInvalidError);
    expect(error).toMatchObject({ rule, voiceId });
    expect(standIn.received).toHaveLength(0);
  });

  it.each([
    ['a file_id past int64', { sampleFileId: '9223372036854775808' }, 'file_id'],
    ['a file_id with a leading zero', { sampleFileId: '0123' }, 'file_id'],
    ['a file_id that is not digits', { sampleFileId: '1e5' }, 'file_id'],
    ['a prompt with no text', { prompt: { fileId: PROMPT, text: '   ' } }, 'prompt_text'],
    ['a prompt file_id that is negative', { prompt: { fileId: '-5', text: 'hi' } }, 'prompt_file_id'],
  ])('refuses %s before sending anything', async (_label, input: Partial<CloneVoiceInput>, field) => {
    const error: unknown = await clone(input).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InvalidRequestValueError);
    expect(error).toMatchObject({ field });
    expect(standIn.received).toHaveLength(0);
  });
});

describe('cloneVoice answers', () => {
  it('treats an empty demo_audio as a voice without a preview', async () => {
    standIn.script({ kind: 'success', demoAudio: '' });
    const voice = await clone();
    expect(voice).toMatchObject({ demoAudioUrl: undefined, demoAudioMalformed: false });
  });

  it('keeps the voice when demo_audio is not a URL, and says the preview is unusable', async () => {
    standIn.script({ kind: 'success', demoAudio: 'not a url' });
    const voice = await clone();
    expect(voice).toMatchObject({
      voiceId: 'TeamAlice2026',
      demoAudioUrl: undefined,
      demoAudioMalformed: true,
    });
  });

  it('reads the malformed answer the service documents (repeated lines, no commas) leniently', async () => {
    const url = standIn.previewUrl('TeamAlice2026');
    standIn.script({
      kind: 'reply',
      status: 200,
      body: `{\n"input_sensitive": false,\n"input_sensitive_type": 0\n"demo_audio": "${url}",\n"demo_audio": "${url}",\n"base_resp": {"status_code": 0, "status_msg": "success"}\n"base_resp": {"status_code": 0, "status_msg": "success"}\n}`,
    });
    const voice = await clone();
    expect(voice).toMatchObject({ voiceId: 'TeamAlice2026', demoAudioUrl: url, inputSensitive: false });
  });

  it('reads a malformed answer that carries a MiniMax error as that error', async () => {
    standIn.script({
      kind: 'reply',
      status: 200,
      body: '{"base_resp": {"status_code": 2039 "status_msg": "dup"}',
    });
    await expect(clone()).rejects.toMatchObject({
      statusCode: 2039,
      reason: 'voice_id_taken',
      statusMessage: 'dup',
    });
  });

  it('reports an answer with no status at all as malformed: the voice may or may not exist', async () => {
    standIn.script({ kind: 'reply', status: 200, body: '<html>oops</html>' });
    const error: unknown = await clone().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DmxapiMalformedResponseError);
    expect(error).toMatchObject({ operation: 'clone', mayHaveBeenProcessed: true });
  });

  it('says when MiniMax flagged the sample', async () => {
    standIn.script({
      kind: 'reply',
      status: 200,
      body: { input_sensitive: true, input_sensitive_type: 1, demo_audio: '', base_resp: { status_code: 0 } },
    });
    expect(await clone()).toMatchObject({ inputSensitive: true });
  });

  it('a voice_id used before fails as 2039 (the stand-in remembers voices like MiniMax)', async () => {
    await clone();
    const error: unknown = await clone().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DmxapiServiceError);
    expect(error).toMatchObject({ statusCode: 2039, reason: 'voice_id_taken', mayHaveBeenProcessed: false });
  });

  it('a sample the service does not know fails as 20132', async () => {
    await expect(clone({ sampleFileId: '12345' })).rejects.toMatchObject({
      statusCode: 20132,
      reason: 'invalid_sample_or_voice_id',
    });
  });

  it.each([
    [20132, 'invalid_sample_or_voice_id'],
    [2042, 'voice_access_denied'],
    [1043, 'speech_text_mismatch'],
    [1044, 'prompt_text_mismatch'],
    [1026, 'sensitive_content'],
    [2038, 'cloning_not_enabled'],
    [2048, 'prompt_audio_too_long'],
    [2037, 'sample_duration_out_of_range'],
    [1042, 'invisible_characters'],
    [1013, 'other'],
  ])('MiniMax %i becomes a service error with reason %s and its message', async (code, reason) => {
    standIn.script({
      kind: 'reply',
      status: 200,
      body: { base_resp: { status_code: code, status_msg: `minimax says ${code}` } },
      headers: { 'x-oneapi-request-id': `req-${code}` },
    });
    const error: unknown = await clone().catch((e: unknown) => e);
    expect(error).toMatchObject({
      code: 'dmxapi_service',
      operation: 'clone',
      statusCode: code,
      reason,
      statusMessage: `minimax says ${code}`,
      requestId: `req-${code}`,
    });
  });
});

describe('downloadPreview', () => {
  const options = { allowedHosts: ['127.0.0.1'], maxBytes: 1 << 20, timeoutMs: 2000 };

  it('downloads the preview from an allowed host, once', async () => {
    const voice = await clone();
    const bytes = await downloadPreview(voice.voiceId, voice.demoAudioUrl ?? '', options);
    expect(Buffer.from(bytes).equals(PREVIEW_MP3)).toBe(true);
    expect(standIn.previewRequests).toHaveLength(1);
  });

  it('matches a leading-dot entry as a suffix', async () => {
    const url = standIn.previewUrl('x', 'localhost');
    await expect(
      downloadPreview('V1234567', url, { ...options, allowedHosts: ['.host'] }),
    ).rejects.toMatchObject({
      reason: 'host_not_allowed',
    });
    await expect(
      downloadPreview('V1234567', url, { ...options, allowedHosts: ['localhost'] }),
    ).resolves.toHaveLength(PREVIEW_MP3.length);
  });

  it.each([
    [
      'a host not in DMXAPI_AUDIO_HOSTS',
      (s: DmxapiStandIn) => s.previewUrl('x', 'localhost'),
      'host_not_allowed',
    ],
    ['plain http off loopback', () => 'http://minimax-algeng.oss-cn.aliyuncs.com/a.mp3', 'insecure_protocol'],
    ['something that is not a URL', () => 'not a url', 'invalid_url'],
  ])('refuses %s without a request', async (_label, url, reason) => {
    const error: unknown = await downloadPreview('TeamAlice2026', url(standIn), {
      ...options,
      allowedHosts: ['127.0.0.1', '.aliyuncs.com'],
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PreviewDownloadFailedError);
    expect(error).toMatchObject({ voiceId: 'TeamAlice2026', reason });
    expect(standIn.previewRequests).toHaveLength(0);
  });

  describe('against a misbehaving preview host', () => {
    let host: Server;
    let base: string;
    beforeEach(async () => {
      host = createServer((request, response) => {
        if (request.url === '/redirect') response.writeHead(302, { location: standIn.previewUrl('x') }).end();
        else if (request.url === '/big') response.end(Buffer.alloc(2 << 20, 0xff));
        else if (request.url === '/html') response.end('<html>expired</html>');
        else if (request.url === '/slow') setTimeout(() => response.end(PREVIEW_MP3), 5000).unref();
        else response.writeHead(404).end();
      });
      await new Promise<void>((resolve) => host.listen(0, '127.0.0.1', resolve));
      base = `http://127.0.0.1:${(host.address() as AddressInfo).port}`;
    });
    afterEach(async () => {
      host.closeAllConnections();
      await new Promise<void>((resolve) => host.close(() => resolve()));
    });

    it.each([
      ['a redirect (not followed)', '/redirect', 'http_status', 302],
      ['an expired link (404)', '/gone', 'http_status', 404],
      ['a body past the size cap', '/big', 'too_large', undefined],
      ['a body that is not an mp3', '/html', 'not_mp3', undefined],
      ['a host that does not answer in time', '/slow', 'timeout', undefined],
    ])('%s fails as a preview failure that names the voice', async (_label, path, reason, status) => {
      const error: unknown = await downloadPreview('TeamAlice2026', `${base}${path}`, {
        ...options,
        timeoutMs: 300,
      }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(PreviewDownloadFailedError);
      expect(error).toMatchObject({ voiceId: 'TeamAlice2026', reason, status });
      expect(standIn.previewRequests).toHaveLength(0);
    });
  });
});
