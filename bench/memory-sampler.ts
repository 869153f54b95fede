/**
 * Preloaded (`--import`) into the bot by the running-bot section's breakdown run only: samples the main
 * thread's memory every 5 ms and, at exit, writes the sample taken at the peak RSS and the one taken
 * at READY to the file named by BENCH_MEMORY_SAMPLES. Audio workers do not load it (the pool passes
 * them no `--import`), so what RSS holds beyond the main thread's heap and buffers is theirs, or
 * native memory (sockets, malloc).
 */
import { writeFileSync } from 'node:fs';

export interface MemorySample {
  readonly rss: number;
  readonly heapTotal: number;
  readonly heapUsed: number;
  /** Memory of ArrayBuffers (Buffers included) the main thread holds. */
  readonly arrayBuffers: number;
  /** V8's external memory, ArrayBuffers included. */
  readonly external: number;
}

export interface MemorySamples {
  /** The last sample before the harness said the uploads start (SIGUSR2). */
  readonly idle: MemorySample;
  readonly peak: MemorySample;
}

const file = process.env.BENCH_MEMORY_SAMPLES;
let idle: MemorySample = process.memoryUsage();
let peak: MemorySample = idle;
let measuring = false;
process.on('SIGUSR2', () => {
  idle = process.memoryUsage();
  peak = idle;
  measuring = true;
});
setInterval(() => {
  if (!measuring) return;
  const sample = process.memoryUsage();
  if (sample.rss > peak.rss) peak = sample;
}, 5).unref();
process.on('exit', () => {
  if (file) writeFileSync(file, JSON.stringify({ idle, peak } satisfies MemorySamples));
});
