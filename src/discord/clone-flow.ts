import { DmxapiServiceError } from '../dmxapi/errors.ts';
import { InvalidRequestValueError, VoiceIdInvalidError, VoiceIdTakenError } from '../dmxapi/input-errors.ts';
import type { ClonedVoice } from '../dmxapi/client.ts';
import { isInt64Id } from '../domain/int64.ts';
import type { Purpose } from '../domain/purposes.ts';
import { suggestVoiceId, voiceIdProblem } from '../domain/voice-id.ts';
import type { UploadRecord } from '../history/upload-history.ts';
import { VOICE_LIFETIME_SECONDS, type VoiceRecord, type VoiceStore } from '../history/voice-store.ts';
import { PreviewDownloadFailedError } from '../pipeline/errors.ts';
import { downloadPreview } from '../pipeline/preview-download.ts';
import type { CommandContext } from './commands/command.ts';
import { ShuttingDownError } from './errors.ts';
import { CloneNotAllowedError, PromptIncompleteError, WrongSamplePurposeError } from './voice-errors.ts';
import { paidCallOptions } from './paid-work.ts';

export interface CloneRequest {
  readonly guildId: string;
  readonly channelId: string;
  readonly userId: string;
  readonly userName: string;
  /** The member has Manage Server here: may clone anyone's sample from this server. */
  readonly canManageGuild: boolean;
  readonly sampleFileId: string;
  readonly voiceId: string;
  readonly promptFileId: string | undefined;
  readonly promptText: string | undefined;
  readonly noiseReduction: boolean;
  readonly volumeNormalization: boolean;
  /** `''` for none. */
  readonly languageBoost: string;
  readonly private: boolean;
  /** Bytes an attachment may have here: the preview's cap. */
  readonly attachmentLimit: number;
}

export type ClonePreview =
  | { readonly kind: 'attached'; readonly bytes: Uint8Array }
  | { readonly kind: 'none' }
  | { readonly kind: 'failed'; readonly error: PreviewDownloadFailedError };

export interface CloneOutcome {
  readonly voice: ClonedVoice;
  /** Undefined when the voice could not be written to the records (logged; the voice still exists). */
  readonly record: VoiceRecord | undefined;
  /** The record's short key, for the "Say something" button. */
  readonly recordKey: number | undefined;
  readonly sampleFileId: string;
  readonly promptFileId: string | undefined;
  readonly sample: UploadRecord | undefined;
  readonly prompt: UploadRecord | undefined;
  readonly preview: ClonePreview;
  /** Unix seconds, the bot's clock: when MiniMax deletes the voice unless it is used. */
  readonly deadlineAt: number;
}

export type CloneProgress =
  { readonly stage: 'queued'; readonly position: number } | { readonly stage: 'cloning' };

/** voice_ids being cloned right now, per store: a double click must not send the same clone twice. */
const inFlight = new WeakMap<VoiceStore, Set<string>>();

function cloningNow(voices: VoiceStore): Set<string> {
  let set = inFlight.get(voices);
  if (!set) inFlight.set(voices, (set = new Set()));
  return set;
}

/** A free, valid voice_id for `name` today, offered whenever the one asked for cannot be used. */
export function suggestFreeVoiceId(context: CommandContext, name: string): string {
  const busy = cloningNow(context.voices);
  return suggestVoiceId(name, new Date(context.clock.now()), (id) => context.voices.has(id) || busy.has(id));
}

/**
 * One clone as /clone and the "Clone this voice" button run it: every check before the key is spent
 * (ids, the sample's purpose and who may clone it, the voice_id rules, voice_ids already made or
 * being made), the clone itself (never retried once sent), the record of the voice (before the
 * reply, so a failed reply loses nothing), then the preview, fetched at once because its link expires.
 */
export async function runClone(
  context: CommandContext,
  request: CloneRequest,
  onProgress: (progress: CloneProgress) => void,
): Promise<CloneOutcome> {
  const { voices, voiceApi, lifecycle, clock, logger } = context;
  if (!lifecycle.acceptingUploads) throw new ShuttingDownError();
  const sample = checkedUpload(context, request, request.sampleFileId, 'voice_clone');
  const prompt = checkedPrompt(context, request);
  const suggestion = () => suggestFreeVoiceId(context, sample?.uploaderName ?? request.userName);
  const rule = voiceIdProblem(request.voiceId);
  if (rule) throw new VoiceIdInvalidError(request.voiceId, rule, suggestion());
  const busy = cloningNow(voices);
  if (voices.has(request.voiceId) || busy.has(request.voiceId)) {
    throw new VoiceIdTakenError(request.voiceId, false, suggestion());
  }

  busy.add(request.voiceId);
  let voice: ClonedVoice;
  try {
    onProgress({ stage: 'cloning' });
    voice = await voiceApi.cloneVoice(
      {
        sampleFileId: request.sampleFileId,
        voiceId: request.voiceId,
        prompt:
          request.promptFileId === undefined || request.promptText === undefined
            ? undefined
            : { fileId: request.promptFileId, text: request.promptText },
        noiseReduction: request.noiseReduction,
        volumeNormalization: request.volumeNormalization,
        languageBoost: request.languageBoost,
      },
      paidCallOptions(lifecycle, (position) => onProgress({ stage: 'queued', position })),
    );
  } catch (error) {
    if (error instanceof DmxapiServiceError && error.reason === 'voice_id_taken') {
      throw new VoiceIdTakenError(request.voiceId, true, suggestion());
    }
    throw error;
  } finally {
    busy.delete(request.voiceId);
  }

  const createdAt = Math.floor(clock.now() / 1000);
  let record: VoiceRecord | undefined;
  try {
    record = voices.record({
      voiceId: voice.voiceId,
      guildId: request.guildId,
      channelId: request.channelId,
      ownerId: request.userId,
      ownerName: request.userName,
      private: request.private,
      sourceFileId: request.sampleFileId,
      promptFileId: request.promptFileId,
      createdAt,
    });
  } catch (error) {
    logger.error(
      { err: error, voiceId: voice.voiceId },
      'voice cloned but could not be written to the records',
    );
  }
  logger.info(
    {
      outcome: 'cloned',
      voiceId: voice.voiceId,
      sampleFileId: request.sampleFileId,
      prompt: request.promptFileId !== undefined,
      attempts: voice.attempts,
      requestId: voice.requestId,
      preview: voice.demoAudioUrl !== undefined,
    },
    'voice cloned',
  );
  return {
    voice,
    record,
    recordKey: record === undefined ? undefined : voices.keyOf(record.voiceId),
    sampleFileId: request.sampleFileId,
    promptFileId: request.promptFileId,
    sample,
    prompt,
    preview: await fetchPreview(context, request, voice),
    deadlineAt: record?.deadlineAt ?? createdAt + VOICE_LIFETIME_SECONDS,
  };
}

async function fetchPreview(
  context: CommandContext,
  request: CloneRequest,
  voice: ClonedVoice,
): Promise<ClonePreview> {
  if (voice.demoAudioMalformed) {
    return { kind: 'failed', error: new PreviewDownloadFailedError(voice.voiceId, 'invalid_url') };
  }
  if (voice.demoAudioUrl === undefined) return { kind: 'none' };
  try {
    const bytes = await downloadPreview(voice.voiceId, voice.demoAudioUrl, {
      allowedHosts: context.voiceSettings.audioHosts,
      maxBytes: request.attachmentLimit,
      timeoutMs: context.voiceSettings.downloadTimeoutMs,
      signal: context.lifecycle.cutOffSignal,
    });
    return { kind: 'attached', bytes };
  } catch (error) {
    if (!(error instanceof PreviewDownloadFailedError)) throw error;
    context.logger.warn({ err: error, voiceId: voice.voiceId }, 'preview not downloaded');
    return { kind: 'failed', error };
  }
}

function checkedPrompt(context: CommandContext, request: CloneRequest): UploadRecord | undefined {
  const hasText = request.promptText !== undefined && request.promptText.trim() !== '';
  if (request.promptFileId === undefined) {
    if (hasText) throw new PromptIncompleteError('prompt');
    return undefined;
  }
  if (!hasText) throw new PromptIncompleteError('prompt_text');
  return checkedUpload(context, request, request.promptFileId, 'prompt_audio');
}

/**
 * A sample or prompt picked by file_id. One the bot uploaded must be for the right purpose, and may
 * be cloned by its uploader, or by a manager of the server it was uploaded in: a voice is a
 * person's voice. An id the records do not hold (uploaded elsewhere) names nobody, so only a
 * manager of this server may clone from it.
 */
function checkedUpload(
  context: CommandContext,
  request: CloneRequest,
  fileId: string,
  purpose: Purpose,
): UploadRecord | undefined {
  if (!isInt64Id(fileId)) {
    throw new InvalidRequestValueError(
      purpose === 'voice_clone' ? 'file_id' : 'prompt_file_id',
      'not an int64',
    );
  }
  const upload = context.history.get(fileId);
  const which = purpose === 'voice_clone' ? 'sample' : 'prompt';
  if (upload === undefined) {
    if (!request.canManageGuild) throw new CloneNotAllowedError(undefined, which);
    return undefined;
  }
  checkMayCloneFrom(upload, purpose, request);
  return upload;
}

/**
 * The rule for an upload the bot holds: the right purpose, and the member who uploaded it or a
 * manager of the server it was uploaded in. The "Clone this voice" button checks it before its
 * modal opens, so nobody types for nothing.
 */
export function checkMayCloneFrom(
  upload: UploadRecord,
  purpose: Purpose,
  member: Pick<CloneRequest, 'userId' | 'canManageGuild' | 'guildId'>,
): void {
  if (upload.purpose !== purpose) throw new WrongSamplePurposeError(upload.fileId, purpose, upload.purpose);
  const mayClone =
    upload.uploaderId === member.userId || (member.canManageGuild && upload.guildId === member.guildId);
  if (!mayClone) {
    throw new CloneNotAllowedError(upload.uploaderName, purpose === 'voice_clone' ? 'sample' : 'prompt');
  }
}
