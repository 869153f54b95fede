import { setTimeout as sleep } from 'node:timers/promises';
import { Agent, type Dispatcher } from 'undici';
import { checkAnswer, type AnswerOptions, type CheckedAnswer } from './answer.ts';
import {
  cloneRequestBody,
  lenientCloneAnswer,
  readClonedVoice,
  type ClonedVoice,
  type CloneVoiceInput,
} from './clone.ts';
import type { Clock } from '../domain/clock.ts';
import { DmxapiError, DmxapiHttpError, DmxapiServiceError, type DmxapiOperation } from './errors.ts';
import { RATE_LIMIT_STATUS_CODES } from './minimax-status.ts';
import { RateLimiter } from './rate-limiter.ts';
import { uploadRequestBody } from './request-body.ts';
import { DEFAULT_RETRY_POLICY, retryDelay, type RetryPolicy } from './retry.ts';
import {
  readSpeech,
  speechRequestBody,
  type SynthesizedSpeech,
  type SynthesizeSpeechInput,
} from './speech.ts';
import { sendRequest, type RawAnswer, type RequestBody, type TransportOptions } from './transport.ts';
import { keepFileIdDigits, readUploadedFile, type UploadedFile, type UploadFileInput } from './upload.ts';

export type { RetryPolicy } from './retry.ts';
export { DEFAULT_RETRY_POLICY } from './retry.ts';
export type { TokenUsage, UploadedFile, UploadFileInput } from './upload.ts';
export type { ClonedVoice, CloneVoiceInput } from './clone.ts';
export type { SynthesizedSpeech, SynthesizeSpeechInput } from './speech.ts';

export interface DmxapiClientOptions {
  readonly baseUrl: string;
  readonly apiKey: string;
  /** The upload model (DMXAPI_MODEL). */
  readonly model: string;
  readonly cloneModel: string;
  readonly speechModel: string;
  /** Limit on one whole request: connecting, sending the body and reading the answer. */
  readonly timeoutMs: number;
  /** Requests per minute on this key, per operation; over it, requests wait in line. */
  readonly clonePerMinute: number;
  readonly speechPerMinute: number;
  /** The longest text `synthesizeSpeech` takes, in characters (SPEECH_MAX_CHARS). */
  readonly speechMaxChars: number;
  readonly retry?: RetryPolicy | undefined;
  /** Waits between attempts; replaceable so tests can record delays instead of sleeping. */
  readonly delay?: ((ms: number, signal: AbortSignal | undefined) => Promise<unknown>) | undefined;
  /** The rate limiters' clock; tests move it by hand. */
  readonly clock?: Clock | undefined;
  readonly dispatcher?: Dispatcher | undefined;
}

/** What every operation may take besides its own input. */
export interface CallOptions {
  /** Ends the call at any point, a request already sent included (its outcome is then unknown). */
  readonly signal?: AbortSignal | undefined;
  /**
   * Ends the call only while nothing is being sent: waiting in line for the rate limit, or before a
   * retry. A shutdown uses it, so a request it aborts surely cost nothing.
   */
  readonly notSentSignal?: AbortSignal | undefined;
  /** Called with the place in line (1 = next) while the request waits for the rate limit. */
  readonly onQueued?: ((position: number) => void) | undefined;
}

/** One operation on the shared request path: how to write its body and read its answer. */
interface Operation<T> {
  readonly name: DmxapiOperation;
  readonly body: RequestBody;
  readonly limiter: RateLimiter | undefined;
  /** False for an operation that must never be sent twice: only failures before sending are retried. */
  readonly retryAnswers: boolean;
  readonly answer?: AnswerOptions | undefined;
  readonly hexAudioMaxBytes?: number | undefined;
  read(answer: CheckedAnswer, raw: RawAnswer): T;
}

/**
 * DMXAPI's MiniMax voice API (`POST /v1/responses`, docs/dmxapi.md): upload, clone and speech on one
 * request path, which owns sending, both error layers, the retry rule, rate limits and timeouts.
 */
export class DmxapiClient {
  readonly #options: DmxapiClientOptions;
  readonly #transport: TransportOptions;
  readonly #retry: RetryPolicy;
  readonly #ownsDispatcher: boolean;
  readonly #limiters: { readonly clone: RateLimiter; readonly speech: RateLimiter };

  constructor(options: DmxapiClientOptions) {
    this.#options = options;
    this.#retry = options.retry ?? DEFAULT_RETRY_POLICY;
    this.#ownsDispatcher = options.dispatcher === undefined;
    this.#transport = {
      endpoint: new URL(
        'v1/responses',
        options.baseUrl.endsWith('/') ? options.baseUrl : `${options.baseUrl}/`,
      ),
      apiKey: options.apiKey,
      timeoutMs: options.timeoutMs,
      dispatcher: options.dispatcher ?? new Agent({ connect: { timeout: 10_000 } }),
    };
    this.#limiters = {
      clone: new RateLimiter(options.clonePerMinute, options.clock),
      speech: new RateLimiter(options.speechPerMinute, options.clock),
    };
  }

  /** Requests waiting for their turn under the rate limits, by operation. */
  get waiting(): { readonly clone: number; readonly speech: number } {
    return { clone: this.#limiters.clone.waiting, speech: this.#limiters.speech.waiting };
  }

  async uploadFile(input: UploadFileInput): Promise<UploadedFile> {
    return this.#call(
      {
        name: 'upload',
        body: uploadRequestBody(this.#options.model, input.purpose, input.audio),
        limiter: undefined,
        retryAnswers: true,
        answer: { reviver: keepFileIdDigits },
        read: readUploadedFile,
      },
      input,
    );
  }

  /** Never sent twice once its request went out: a second call fails as a duplicate voice_id, or clones twice. */
  async cloneVoice(input: CloneVoiceInput, options: CallOptions = {}): Promise<ClonedVoice> {
    return this.#call(
      {
        name: 'clone',
        body: cloneRequestBody(this.#options.cloneModel, input),
        limiter: this.#limiters.clone,
        retryAnswers: false,
        answer: { lenient: lenientCloneAnswer },
        read: (answer) => readClonedVoice(input.voiceId, answer),
      },
      options,
    );
  }

  /** Asks for mp3 as hex and decodes it while the answer streams in, within `maxAudioBytes`. */
  async synthesizeSpeech(
    input: SynthesizeSpeechInput,
    options: CallOptions = {},
  ): Promise<SynthesizedSpeech> {
    const { body, bitrate } = speechRequestBody(
      this.#options.speechModel,
      input,
      this.#options.speechMaxChars,
    );
    return this.#call(
      {
        name: 'speech',
        body,
        limiter: this.#limiters.speech,
        retryAnswers: true,
        hexAudioMaxBytes: input.maxAudioBytes,
        read: (answer, raw) => readSpeech(input, bitrate, raw, answer),
      },
      options,
    );
  }

  async close(): Promise<void> {
    if (this.#ownsDispatcher) await this.#transport.dispatcher.close();
  }

  async #call<T>(
    operation: Operation<T>,
    { signal, notSentSignal, onQueued }: CallOptions,
  ): Promise<T & { attempts: number }> {
    const delay = this.#options.delay ?? ((ms, s) => sleep(ms, undefined, { signal: s }));
    const waiting = anySignal(signal, notSentSignal);
    for (let attempt = 1; ; attempt++) {
      try {
        await operation.limiter?.acquire({ signal: waiting, onQueued });
        const raw = await sendRequest(this.#transport, operation.body, {
          signal,
          hexAudio:
            operation.hexAudioMaxBytes === undefined ? undefined : { maxBytes: operation.hexAudioMaxBytes },
        });
        const result = operation.read(this.#checked(operation, raw), raw);
        return { ...result, attempts: attempt };
      } catch (error) {
        if (!(error instanceof DmxapiError)) throw error;
        error.attempts = attempt;
        error.operation = operation.name;
        const wait = retryDelay(error, attempt, this.#retry, operation.retryAnswers);
        if (wait === undefined) throw error;
        try {
          await delay(wait, waiting);
        } catch (delayError) {
          throw waiting?.aborted ? waiting.reason : delayError;
        }
      }
    }
  }

  /** Both error layers; a rate-limit answer also slows the operation's limiter down. */
  #checked(operation: Operation<unknown>, raw: RawAnswer): CheckedAnswer {
    try {
      return checkAnswer(raw, operation.answer, [this.#options.apiKey]);
    } catch (error) {
      if (error instanceof DmxapiHttpError && error.status === 429) {
        operation.limiter?.slowDown(error.retryAfterMs);
      } else if (error instanceof DmxapiServiceError && RATE_LIMIT_STATUS_CODES.has(error.statusCode)) {
        operation.limiter?.slowDown();
      }
      throw error;
    }
  }
}

function anySignal(...signals: (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal) => signal !== undefined);
  return present.length <= 1 ? present[0] : AbortSignal.any(present);
}
