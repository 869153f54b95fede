import { DmxapiAudioTooLargeError } from './errors.ts';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const KEY_BYTES_KEPT = 32;
const FIRST_AUDIO_CAPACITY = 256 * 1024;

/** Value of each hex digit's byte, -1 for any other byte. */
const HEX_VALUE = new Int8Array(256).fill(-1);
for (let digit = 0; digit < 16; digit++) {
  HEX_VALUE[digit.toString(16).charCodeAt(0)] = digit;
  HEX_VALUE[digit.toString(16).toUpperCase().charCodeAt(0)] = digit;
}

export interface ExtractedAnswer {
  /** The answer's JSON with `data.audio`'s content left out (`"audio":""`). */
  readonly text: string;
  /** The decoded audio, or undefined when the answer had no `data.audio` string. */
  readonly audio: Buffer | undefined;
  /** Why the answer cannot be trusted (bad hex, text over its limit), if it cannot. */
  readonly problem: string | undefined;
}

/**
 * Reads a speech answer as it streams in and decodes `data.audio` (the mp3 as a hex string) straight
 * into bytes. The hex string, twice the size of the audio, is never held: only the audio and the
 * small rest of the JSON are kept, each under its own limit. The JSON's structure is followed just
 * enough to know where `data.audio` is; JSON.parse checks the rest afterwards.
 */
export class HexAudioExtractor {
  readonly #maxAudioBytes: number;
  readonly #maxTextBytes: number;
  readonly #text: Buffer[] = [];
  #textBytes = 0;
  #textFull = false;
  #problem: string | undefined;
  /** Open containers: `o` object, `a` array. */
  readonly #stack: ('o' | 'a')[] = [];
  /** The key being read (or last read) at each open object. */
  readonly #keys: (string | undefined)[] = [];
  #expectKey = false;
  #inString = false;
  #escaped = false;
  #readingKey = false;
  #keyBytes: number[] = [];
  #inAudio = false;
  #sawAudio = false;
  #pendingNibble = -1;
  #audio: Buffer | undefined;
  #audioBytes = 0;

  constructor(maxAudioBytes: number, maxTextBytes: number) {
    this.#maxAudioBytes = maxAudioBytes;
    this.#maxTextBytes = maxTextBytes;
  }

  write(chunk: Buffer): void {
    let textStart = 0;
    let index = 0;
    while (index < chunk.length) {
      if (this.#inAudio) {
        const close = chunk.indexOf(QUOTE, index);
        const end = close === -1 ? chunk.length : close;
        this.#decode(chunk, index, end);
        if (close === -1) return;
        this.#inAudio = false;
        this.#inString = false;
        if (this.#pendingNibble !== -1) this.#fail('odd number of hex digits in data.audio');
        // The closing quote starts the next stretch of kept text.
        textStart = close;
        index = close + 1;
        continue;
      }
      const byte = chunk[index] ?? 0;
      index++;
      if (this.#inString) {
        this.#stringByte(byte);
      } else if (this.#structureByte(byte)) {
        // An audio string begins: keep the text up to its opening quote, drop its content.
        this.#keep(chunk.subarray(textStart, index));
        textStart = chunk.length;
      }
    }
    if (textStart < chunk.length) this.#keep(chunk.subarray(textStart));
  }

  end(): ExtractedAnswer {
    return {
      text: Buffer.concat(this.#text).toString('utf8'),
      audio: this.#sawAudio ? (this.#audio ?? Buffer.alloc(0)).subarray(0, this.#audioBytes) : undefined,
      problem: this.#problem,
    };
  }

  #stringByte(byte: number): void {
    if (this.#escaped) {
      this.#escaped = false;
      if (this.#readingKey) this.#keyBytes.push(-1);
    } else if (byte === BACKSLASH) {
      this.#escaped = true;
    } else if (byte === QUOTE) {
      this.#inString = false;
      if (this.#readingKey) {
        this.#readingKey = false;
        const key = this.#keyBytes.some((b) => b < 0) ? undefined : String.fromCharCode(...this.#keyBytes);
        this.#keys[this.#keys.length - 1] = key;
      }
    } else if (this.#readingKey && this.#keyBytes.length <= KEY_BYTES_KEPT) {
      this.#keyBytes.push(byte);
    }
  }

  /** Follows one byte outside strings; true when it opens the `data.audio` string. */
  #structureByte(byte: number): boolean {
    const top = this.#stack.at(-1);
    switch (byte) {
      case QUOTE:
        this.#inString = true;
        if (top === 'o' && this.#expectKey) {
          this.#readingKey = true;
          this.#keyBytes = [];
          return false;
        }
        if (this.#atAudio()) {
          if (this.#sawAudio) this.#fail('data.audio appears twice');
          this.#sawAudio = true;
          this.#inAudio = true;
          return true;
        }
        return false;
      case 0x7b: // {
        this.#stack.push('o');
        this.#keys.push(undefined);
        this.#expectKey = true;
        return false;
      case 0x5b: // [
        this.#stack.push('a');
        this.#expectKey = false;
        return false;
      case 0x7d: // }
      case 0x5d: // ]
        if (this.#stack.pop() === 'o') this.#keys.pop();
        this.#expectKey = false;
        return false;
      case 0x2c: // ,
        this.#expectKey = top === 'o';
        return false;
      case 0x3a: // :
        this.#expectKey = false;
        return false;
      default:
        return false;
    }
  }

  #atAudio(): boolean {
    return (
      this.#stack.length === 2 &&
      this.#stack[0] === 'o' &&
      this.#stack[1] === 'o' &&
      this.#keys[0] === 'data' &&
      this.#keys[1] === 'audio'
    );
  }

  #decode(chunk: Buffer, start: number, end: number): void {
    if (this.#problem !== undefined || end === start) return;
    const audio = this.#reserve(Math.floor((end - start + (this.#pendingNibble === -1 ? 0 : 1)) / 2));
    let high = this.#pendingNibble;
    for (let i = start; i < end; i++) {
      const value = HEX_VALUE[chunk[i] ?? 0] ?? -1;
      if (value < 0) {
        this.#fail('data.audio holds a character that is not a hex digit');
        return;
      }
      if (high === -1) {
        high = value;
      } else {
        audio[this.#audioBytes++] = (high << 4) | value;
        high = -1;
      }
    }
    this.#pendingNibble = high;
  }

  /** The audio buffer, grown to hold `more` bytes; refuses to pass the limit. */
  #reserve(more: number): Buffer {
    const needed = this.#audioBytes + more;
    if (needed > this.#maxAudioBytes) throw new DmxapiAudioTooLargeError(this.#maxAudioBytes);
    if (this.#audio && needed <= this.#audio.length) return this.#audio;
    const capacity = this.#audio?.length ?? 0;
    const grown = Buffer.allocUnsafeSlow(
      Math.min(this.#maxAudioBytes, Math.max(needed, capacity * 2, FIRST_AUDIO_CAPACITY)),
    );
    this.#audio?.copy(grown, 0, 0, this.#audioBytes);
    this.#audio = grown;
    return grown;
  }

  #keep(bytes: Buffer): void {
    if (bytes.length === 0 || this.#textFull) return;
    if (this.#textBytes + bytes.length > this.#maxTextBytes) {
      this.#textFull = true;
      this.#fail(`more than ${this.#maxTextBytes} bytes of JSON besides the audio`);
      return;
    }
    this.#textBytes += bytes.length;
    // Copied: the chunk's memory belongs to the stream.
    this.#text.push(Buffer.from(bytes));
  }

  #fail(problem: string): void {
    this.#problem ??= problem;
  }
}
