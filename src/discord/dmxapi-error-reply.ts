import { codeBlock, type APIEmbedField } from 'discord.js';
import type * as dmxapiErrors from '../dmxapi/errors.ts';
import type { Catalogue, ErrorText } from '../i18n/index.ts';
import type { ErrorReply } from './error-replies.ts';
import { safeCode } from './safe-text.ts';

/**
 * MiniMax's refusals of a clone or a speech request that the user can act on get their own reply;
 * the rest (and every upload refusal) the table of status codes.
 */
export function serviceErrorText(t: Catalogue, error: dmxapiErrors.DmxapiServiceError): ErrorText {
  const { operation } = error;
  if (operation !== 'upload') {
    switch (error.reason) {
      case 'invalid_sample_or_voice_id':
        return t.errors.sampleOrVoiceIdInvalid();
      case 'voice_access_denied':
        return t.errors.voiceAccessDenied();
      case 'speech_text_mismatch':
        return t.errors.speechTextMismatch();
      case 'prompt_text_mismatch':
        return t.errors.promptTextMismatch();
      case 'sensitive_content':
        return operation === 'clone' ? t.errors.sampleSensitive() : t.errors.textSensitive();
      case 'cloning_not_enabled':
        return t.errors.cloningNotEnabled();
      case 'prompt_audio_too_long':
        return t.errors.promptTooLong();
      case 'sample_duration_out_of_range':
        return t.errors.sampleDuration();
      case 'invisible_characters':
        return t.errors.invisibleCharacters();
      default:
        break;
    }
  }
  return t.errors.dmxapiService({ statusCode: error.statusCode, operation });
}

/** A DMXAPI failure also shows what the service said, its request id and how often the bot tried. */
export function dmxapiReply(
  t: Catalogue,
  error: dmxapiErrors.DmxapiError,
  text: ErrorText,
  extra: { readonly serviceSaid?: string | undefined; readonly requestId?: string | undefined },
): ErrorReply {
  const fields: APIEmbedField[] = [];
  if (extra.serviceSaid) {
    fields.push({
      name: t.errorFields.serviceSaid,
      value: codeBlock(safeCode(extra.serviceSaid, 480, { multiline: true })),
    });
  }
  if (extra.requestId) {
    fields.push({
      name: t.errorFields.requestId,
      value: `\`${safeCode(extra.requestId, 100)}\``,
      inline: true,
    });
  }
  if (error.attempts > 1) {
    fields.push({ name: t.errorFields.attempts, value: String(error.attempts), inline: true });
  }
  return { text, fields, reference: undefined };
}
