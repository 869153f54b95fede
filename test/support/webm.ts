/**
 * A minimal WebM (EBML header, segment info with a duration, one audio track) whose track names
 * the codec `codecId`: the codec string a parser reports is whatever the file says, so a test can
 * put hostile text (Markdown, a 5,000-character run) where a reply shows it.
 */
export function makeWebm(codecId: string, { durationSeconds = 12 } = {}): Buffer {
  const duration = Buffer.alloc(8);
  duration.writeDoubleBE(durationSeconds * 1000); // in TimecodeScale units (1 ms by default)
  const header = element([0x1a, 0x45, 0xdf, 0xa3], element([0x42, 0x82], Buffer.from('webm')));
  const track = element(
    [0xae],
    Buffer.concat([
      element([0xd7], Buffer.from([1])), // TrackNumber
      element([0x83], Buffer.from([2])), // TrackType: audio
      element([0x86], Buffer.from(codecId, 'utf8')), // CodecID
    ]),
  );
  const segment = element(
    [0x18, 0x53, 0x80, 0x67],
    Buffer.concat([
      element([0x15, 0x49, 0xa9, 0x66], element([0x44, 0x89], duration)), // Info { Duration }
      element([0x16, 0x54, 0xae, 0x6b], track), // Tracks
    ]),
  );
  return Buffer.concat([header, segment]);
}

/** An EBML element: its id, its size as an 8-byte variable-length integer, its body. */
function element(id: readonly number[], body: Buffer): Buffer {
  const size = Buffer.alloc(8);
  size[0] = 0x01;
  size.writeUIntBE(body.length, 2, 6);
  return Buffer.concat([Buffer.from(id), size, body]);
}
