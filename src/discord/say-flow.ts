import type { SynthesizedSpeech } from '../dmxapi/client.ts';
import { DmxapiError } from '../dmxapi/errors.ts';
import { SpeechTextEmptyError, SpeechTextTooLongError } from '../dmxapi/input-errors.ts';
import { estimateBilledCharacters, speechCharacters } from '../dmxapi/speech-text.ts';
import type { SpeechEmotion } from '../domain/voices.ts';
import type { VoiceRecord } from '../history/voice-store.ts';
import type { CommandContext } from './commands/command.ts';
import { ShuttingDownError } from './errors.ts';
import { SpeechQuotaExceededError, VoicePrivateError } from './voice-errors.ts';
import { paidCallOptions } from './paid-work.ts';

export interface SpeechRequest {
  readonly guildId: string;
  readonly userId: string;
  readonly voiceId: string;
  readonly text: string;
  readonly speed: number | undefined;
  readonly emotion: SpeechEmotion | undefined;
  readonly languageBoost: string | undefined;
  /** Bytes an attachment may have here: the audio's cap, and what the bitrate is chosen for. */
  readonly attachmentLimit: number;
}

export interface SpeechOutcome {
  readonly speech: SynthesizedSpeech;
  /** This was the voice's first speech: MiniMax charged the clone fee now, and keeps the voice. */
  readonly firstUse: boolean;
  /** Billed characters the member used in the last 24 hours, this request included. */
  readonly usedToday: number;
}

export type SpeechProgress =
  { readonly stage: 'queued'; readonly position: number } | { readonly stage: 'speaking' };

/**
 * A private voice speaks for the member who cloned it alone. The "Say something" button checks it
 * before its modal opens, so nobody types for nothing.
 */
export function checkMayUseVoice(voice: VoiceRecord, userId: string): void {
  if (voice.private && voice.ownerId !== userId) throw new VoicePrivateError(voice.voiceId, voice.ownerName);
}

/**
 * One speech as /say and the "Say something" button run it: the text checked and its characters
 * reserved against USER_DAILY_SPEECH_CHARS before the key is spent, then settled to what MiniMax
 * billed, or released when the failure proves nothing was billed; each use recorded on the voice,
 * which keeps MiniMax from deleting it.
 */
export async function runSpeech(
  context: CommandContext,
  request: SpeechRequest,
  onProgress: (progress: SpeechProgress) => void,
): Promise<SpeechOutcome> {
  const { voices, voiceApi, speechUsage, voiceSettings, lifecycle, clock, logger } = context;
  if (!lifecycle.acceptingUploads) throw new ShuttingDownError();
  const voice = voices.get(request.voiceId);
  if (voice) checkMayUseVoice(voice, request.userId);
  if (request.text.trim() === '') throw new SpeechTextEmptyError();
  const characters = speechCharacters(request.text);
  if (characters > voiceSettings.speechMaxChars) {
    throw new SpeechTextTooLongError(characters, voiceSettings.speechMaxChars);
  }

  const estimate = estimateBilledCharacters(request.text);
  const now = () => Math.floor(clock.now() / 1000);
  const reservation = speechUsage.reserve({
    userId: request.userId,
    guildId: request.guildId,
    voiceId: request.voiceId,
    characters: estimate,
    nowSeconds: now(),
    dailyLimit: voiceSettings.userDailySpeechChars,
  });
  if (!reservation.ok) {
    throw new SpeechQuotaExceededError(
      reservation.used,
      voiceSettings.userDailySpeechChars,
      estimate,
      reservation.retryAt === undefined ? undefined : new Date(reservation.retryAt * 1000),
    );
  }

  let speech: SynthesizedSpeech;
  try {
    onProgress({ stage: 'speaking' });
    speech = await voiceApi.synthesizeSpeech(
      {
        voiceId: request.voiceId,
        text: request.text,
        speed: request.speed,
        emotion: request.emotion,
        languageBoost: request.languageBoost,
        maxAudioBytes: request.attachmentLimit,
      },
      paidCallOptions(lifecycle, (position) => onProgress({ stage: 'queued', position })),
    );
  } catch (error) {
    // Kept when MiniMax may have billed it: counting too much is the safe side of a quota.
    if (!(error instanceof DmxapiError && error.mayHaveBeenProcessed)) speechUsage.release(reservation.id);
    throw error;
  }

  speechUsage.settle(reservation.id, speech.billedCharacters);
  let firstUse = false;
  try {
    firstUse = voices.recordUse(request.voiceId, now())?.firstUse ?? false;
  } catch (error) {
    logger.error({ err: error, voiceId: request.voiceId }, 'speech made but its use could not be recorded');
  }
  logger.info(
    {
      outcome: 'spoken',
      voiceId: request.voiceId,
      billedCharacters: speech.billedCharacters,
      durationMs: speech.durationMs,
      bytes: speech.audio.length,
      bitrate: speech.bitrate,
      attempts: speech.attempts,
      requestId: speech.requestId,
      firstUse,
    },
    'speech made',
  );
  return {
    speech,
    firstUse,
    usedToday: reservation.usedBefore + speech.billedCharacters,
  };
}
