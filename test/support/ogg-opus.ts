import CodecParser, { type OggPage } from 'codec-parser';
import { fixture } from './audio.ts';

/**
 * Ogg Opus files of any length, built in the test from the packets of a real voice message
 * (test/fixtures/voice-message-12s.ogg, 20 ms packets), so a five-minute or a chained file needs no
 * committed megabytes.
 */

const CRC_TABLE = Array.from({ length: 256 }, (_, index) => {
  let crc = index << 24;
  for (let bit = 0; bit < 8; bit++) crc = crc & 0x80000000 ? (crc << 1) ^ 0x04c11db7 : crc << 1;
  return crc >>> 0;
});

function oggCrc(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) ^ (CRC_TABLE[((crc >>> 24) ^ byte) & 0xff] as number)) >>> 0;
  return crc;
}

function page(
  packets: readonly Uint8Array[],
  granule: number,
  serial: number,
  sequence: number,
  flags: number,
): Buffer {
  const lacing: number[] = [];
  for (const packet of packets) {
    let left = packet.length;
    while (left >= 255) {
      lacing.push(255);
      left -= 255;
    }
    lacing.push(left);
  }
  const body = Buffer.concat(packets);
  const header = Buffer.alloc(27 + lacing.length);
  header.write('OggS', 0, 'ascii');
  header[5] = flags;
  header.writeBigUInt64LE(BigInt(granule), 6);
  header.writeUInt32LE(serial, 14);
  header.writeUInt32LE(sequence, 18);
  header[26] = lacing.length;
  Buffer.from(lacing).copy(header, 27);
  const whole = Buffer.concat([header, body]);
  whole.writeUInt32LE(oggCrc(whole), 22);
  return whole;
}

export function opusHead(channels = 1, preSkip = 312): Buffer {
  const head = Buffer.alloc(19);
  head.write('OpusHead', 0, 'ascii');
  head[8] = 1;
  head[9] = channels;
  head.writeUInt16LE(preSkip, 10);
  head.writeUInt32LE(48_000, 12);
  return head;
}

const OPUS_TAGS = Buffer.concat([
  Buffer.from('OpusTags', 'ascii'),
  Buffer.from([4, 0, 0, 0]),
  Buffer.from('test'),
  Buffer.alloc(4),
]);

/** One logical Ogg Opus stream holding `packets` (20 ms each), granules as an encoder writes them. */
export function oggOpusStream(
  packets: readonly Uint8Array[],
  { serial = 1, preSkip = 312, packetsPerPage = 50, claimSeconds }: OggStreamOptions = {},
): Buffer {
  const pages = [page([opusHead(1, preSkip)], 0, serial, 0, 2), page([OPUS_TAGS], 0, serial, 1, 0)];
  let granule = preSkip;
  for (let at = 0; at < packets.length; at += packetsPerPage) {
    const batch = packets.slice(at, at + packetsPerPage);
    granule += batch.length * 960;
    const last = at + packetsPerPage >= packets.length;
    // A lying container: the final granule claims another length than the packets hold.
    const written =
      last && claimSeconds !== undefined ? preSkip + Math.round(claimSeconds * 48_000) : granule;
    pages.push(page(batch, written, serial, pages.length, last ? 4 : 0));
  }
  return Buffer.concat(pages);
}

export interface OggStreamOptions {
  readonly serial?: number;
  readonly preSkip?: number;
  readonly packetsPerPage?: number;
  readonly claimSeconds?: number;
}

let speechPackets: Uint8Array[] | undefined;

/** The audio packets of the real 12.6 s voice message fixture. */
export function voicePackets(): Uint8Array[] {
  if (!speechPackets) {
    const parser = new CodecParser<OggPage>('application/ogg', { enableFrameCRC32: false });
    speechPackets = parser
      .parseAll(fixture('voice-message-12s.ogg'))
      .flatMap((p) => p.codecFrames.map((f) => f.data));
  }
  return speechPackets;
}

/** A voice message of `seconds` (a multiple of 20 ms): the fixture's speech, looped. */
export function voiceMessage(seconds: number, options: OggStreamOptions = {}): Buffer {
  const source = voicePackets();
  const count = Math.round(seconds * 50);
  const packets = Array.from({ length: count }, (_, index) => source[index % source.length] as Uint8Array);
  return oggOpusStream(packets, options);
}
