/**
 * How much of an MP4's sound track is really in the file. The movie header states a length, and a
 * parser reports it without reading a sample; when the samples it lists lie past the end of the
 * file (cut off after the index, or an index that does not match the data), that length is false.
 * Box counts and depth are bounded by checkStructure() before this runs.
 */

export interface Mp4SoundTrack {
  /** The length the track's media header states. */
  readonly statedSeconds: number;
  /** The length of the samples whose bytes are all inside the file. */
  readonly foundSeconds: number;
}

interface Box {
  readonly type: string;
  /** Payload start and end (after the header). */
  readonly start: number;
  readonly end: number;
}

/** The first sound track's stated and present lengths, or undefined when there is no sample table to check. */
export function measureMp4SoundTrack(bytes: Uint8Array): Mp4SoundTrack | undefined {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const moov = children(bytes, view, 0, bytes.length).find((box) => box.type === 'moov');
  if (!moov) return undefined;
  for (const trak of children(bytes, view, moov.start, moov.end).filter((box) => box.type === 'trak')) {
    const mdia = child(bytes, view, trak, 'mdia');
    const hdlr = mdia && child(bytes, view, mdia, 'hdlr');
    if (!mdia || !hdlr || ascii(bytes, hdlr.start + 8, hdlr.start + 12) !== 'soun') continue;
    const mdhd = child(bytes, view, mdia, 'mdhd');
    const stbl = chain(bytes, view, mdia, ['minf', 'stbl']);
    if (!mdhd || !stbl) return undefined;
    const version = bytes[mdhd.start];
    const timescale = view.getUint32(mdhd.start + (version === 1 ? 20 : 12));
    const duration =
      version === 1 ? Number(view.getBigUint64(mdhd.start + 24)) : view.getUint32(mdhd.start + 16);
    if (timescale === 0) return undefined;
    const present = presentTicks(bytes, view, stbl);
    if (present === undefined) return undefined; // fragmented (moof) or no table: nothing to check here
    return { statedSeconds: duration / timescale, foundSeconds: present / timescale };
  }
  return undefined;
}

/** Sum of the durations of the samples whose bytes lie inside the file. */
function presentTicks(bytes: Uint8Array, view: DataView, stbl: Box): number | undefined {
  const stsz = child(bytes, view, stbl, 'stsz');
  const stsc = child(bytes, view, stbl, 'stsc');
  const stts = child(bytes, view, stbl, 'stts');
  const stco = child(bytes, view, stbl, 'stco') ?? child(bytes, view, stbl, 'co64');
  if (!stsz || !stsc || !stts || !stco) return undefined;
  // Every table's count is bounded by its box's real size: a hostile count cannot make us loop longer.
  const fixedSize = view.getUint32(stsz.start + 4);
  const sampleCount = Math.min(
    view.getUint32(stsz.start + 8),
    fixedSize === 0 ? Math.floor((stsz.end - stsz.start - 12) / 4) : Number.MAX_SAFE_INTEGER,
  );
  if (sampleCount === 0) return undefined;
  const sizeOf = (i: number) => (fixedSize !== 0 ? fixedSize : view.getUint32(stsz.start + 12 + 4 * i));
  const wide = stco.type === 'co64';
  const chunkCount = Math.min(
    view.getUint32(stco.start + 4),
    Math.floor((stco.end - stco.start - 8) / (wide ? 8 : 4)),
  );
  const chunkOffset = (i: number) =>
    wide ? Number(view.getBigUint64(stco.start + 8 + 8 * i)) : view.getUint32(stco.start + 8 + 4 * i);
  const runs = Math.min(view.getUint32(stsc.start + 4), Math.floor((stsc.end - stsc.start - 8) / 12));
  const timeRuns = Math.min(view.getUint32(stts.start + 4), Math.floor((stts.end - stts.start - 8) / 8));

  // Durations, sample by sample, from the time-to-sample runs.
  let timeRun = 0;
  let leftInTimeRun = timeRuns > 0 ? view.getUint32(stts.start + 8) : 0;
  const nextDelta = (): number => {
    while (leftInTimeRun === 0 && ++timeRun < timeRuns)
      leftInTimeRun = view.getUint32(stts.start + 8 + 8 * timeRun);
    if (timeRun >= timeRuns) return 0;
    leftInTimeRun--;
    return view.getUint32(stts.start + 8 + 8 * timeRun + 4);
  };

  let sample = 0;
  let ticks = 0;
  let nextChunk = 0;
  for (let run = 0; run < runs && sample < sampleCount; run++) {
    const entry = stsc.start + 8 + 12 * run;
    const firstChunk = view.getUint32(entry) - 1;
    // Runs go forward; one that goes back is a broken table (and would let chunks be walked again and again).
    if (firstChunk < nextChunk) return undefined;
    const perChunk = view.getUint32(entry + 4);
    const lastChunk = run + 1 < runs ? view.getUint32(entry + 12) - 1 : chunkCount;
    nextChunk = Math.min(lastChunk, chunkCount);
    for (let chunk = firstChunk; chunk < nextChunk && sample < sampleCount; chunk++) {
      let offset = chunkOffset(chunk);
      for (let i = 0; i < perChunk && sample < sampleCount; i++, sample++) {
        const size = sizeOf(sample);
        const delta = nextDelta();
        if (offset + size <= bytes.length) ticks += delta;
        offset += size;
      }
    }
  }
  return ticks;
}

function children(bytes: Uint8Array, view: DataView, from: number, to: number): Box[] {
  const boxes: Box[] = [];
  let at = from;
  while (at + 8 <= to) {
    let size = view.getUint32(at);
    let header = 8;
    if (size === 1 && at + 16 <= to) {
      size = Number(view.getBigUint64(at + 8));
      header = 16;
    } else if (size === 0) {
      size = to - at;
    }
    if (size < header) break;
    boxes.push({ type: ascii(bytes, at + 4, at + 8), start: at + header, end: Math.min(at + size, to) });
    at += size;
  }
  return boxes;
}

function child(bytes: Uint8Array, view: DataView, parent: Box, type: string): Box | undefined {
  return children(bytes, view, parent.start, parent.end).find((box) => box.type === type);
}

function chain(bytes: Uint8Array, view: DataView, parent: Box, types: readonly string[]): Box | undefined {
  let box: Box | undefined = parent;
  for (const type of types) box = box && child(bytes, view, box, type);
  return box;
}

function ascii(bytes: Uint8Array, start: number, end: number): string {
  return String.fromCharCode(...bytes.subarray(start, end));
}
