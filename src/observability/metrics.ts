import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { DmxapiConnectionError, DmxapiError, DmxapiHttpError, DmxapiServiceError } from '../dmxapi/errors.ts';
import type { AudioWorkerPoolStats } from '../pipeline/audio-pool.ts';
import { AudioRejectedError } from '../audio/errors.ts';
import type { Purpose } from '../domain/purposes.ts';
import type { StageTimings } from '../pipeline/upload-pipeline.ts';

/** What the gauges read when Prometheus scrapes, so they never go stale between uploads. */
export interface LiveReadings {
  uploadsWaiting(): number;
  uploadsInFlight(): number;
  /** Last heartbeat round trip in milliseconds, or a negative number before the first. */
  gatewayPingMs(): number;
  audioWorkers(): AudioWorkerPoolStats;
}

/** The bot's Prometheus metrics, in a registry of its own (so tests can build several). */
export class BotMetrics {
  readonly registry = new Registry();
  readonly #uploads: Counter<'purpose' | 'outcome'>;
  readonly #stageSeconds: Histogram<'stage'>;
  readonly #bytes: Counter;
  readonly #dmxapiErrors: Counter<'code'>;
  readonly #historyWriteFailures: Counter;

  constructor(readings: LiveReadings) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });
    this.#uploads = new Counter({
      name: 'voicebot_uploads_total',
      help: 'Upload attempts by purpose and outcome.',
      labelNames: ['purpose', 'outcome'],
      registers,
    });
    this.#stageSeconds = new Histogram({
      name: 'voicebot_upload_stage_duration_seconds',
      help: 'Time spent in each stage of a successful upload.',
      labelNames: ['stage'],
      buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120],
      registers,
    });
    this.#bytes = new Counter({
      name: 'voicebot_uploaded_bytes_total',
      help: 'Audio bytes uploaded to DMXAPI successfully.',
      registers,
    });
    this.#dmxapiErrors = new Counter({
      name: 'voicebot_dmxapi_errors_total',
      help: 'DMXAPI failures by code: http_<status>, minimax_<status_code>, timeout, connection_<reason>, malformed.',
      labelNames: ['code'],
      registers,
    });
    this.#historyWriteFailures = new Counter({
      name: 'voicebot_history_write_failures_total',
      help: 'Successful uploads whose history record could not be written (the file_id was still shown and logged).',
      registers,
    });
    new Gauge({
      name: 'voicebot_uploads_waiting',
      help: 'Uploads waiting for a free slot.',
      registers,
      collect() {
        this.set(readings.uploadsWaiting());
      },
    });
    new Gauge({
      name: 'voicebot_uploads_in_flight',
      help: 'Uploads running now.',
      registers,
      collect() {
        this.set(readings.uploadsInFlight());
      },
    });
    new Gauge({
      name: 'voicebot_audio_workers',
      help: 'Worker threads that read untrusted audio, by state (none while the bot is idle).',
      labelNames: ['state'],
      registers,
      collect() {
        const stats = readings.audioWorkers();
        this.set({ state: 'busy' }, stats.busy);
        this.set({ state: 'idle' }, stats.idle);
      },
    });
    new Gauge({
      name: 'voicebot_audio_jobs_queued',
      help: 'Audio jobs waiting for a free worker thread.',
      registers,
      collect() {
        this.set(readings.audioWorkers().queued);
      },
    });
    new Counter({
      name: 'voicebot_audio_workers_terminated_total',
      help: 'Worker threads ended by a file: timeout (ran past INSPECT_TIMEOUT_MS), memory (heap limit), crash.',
      labelNames: ['reason'],
      registers,
      collect() {
        // The pool keeps the running totals; this only mirrors them at scrape time.
        const stats = readings.audioWorkers();
        this.reset();
        this.inc({ reason: 'timeout' }, stats.terminatedForTimeout);
        this.inc({ reason: 'memory' }, stats.terminatedForMemory);
        this.inc({ reason: 'crash' }, stats.crashed);
      },
    });
    new Gauge({
      name: 'voicebot_gateway_latency_seconds',
      help: 'Discord gateway heartbeat round trip (-1 before the first heartbeat).',
      registers,
      collect() {
        const ping = readings.gatewayPingMs();
        this.set(ping < 0 ? -1 : ping / 1000);
      },
    });
  }

  uploadSucceeded(purpose: Purpose, bytes: number, timings: StageTimings): void {
    this.#uploads.inc({ purpose, outcome: 'uploaded' });
    this.#bytes.inc(bytes);
    this.#stageSeconds.observe({ stage: 'download' }, timings.downloadMs / 1000);
    this.#stageSeconds.observe({ stage: 'inspect' }, timings.inspectMs / 1000);
    this.#stageSeconds.observe({ stage: 'upload' }, timings.uploadMs / 1000);
  }

  uploadFailed(purpose: Purpose, error: unknown): void {
    if (error instanceof DmxapiError) {
      this.#uploads.inc({ purpose, outcome: 'dmxapi_error' });
      this.#dmxapiErrors.inc({ code: dmxapiErrorLabel(error) });
    } else {
      this.#uploads.inc({ purpose, outcome: error instanceof AudioRejectedError ? 'rejected' : 'error' });
    }
  }

  historyWriteFailed(): void {
    this.#historyWriteFailures.inc();
  }

  async render(): Promise<string> {
    return this.registry.metrics();
  }
}

function dmxapiErrorLabel(error: DmxapiError): string {
  if (error instanceof DmxapiHttpError) return `http_${error.status}`;
  if (error instanceof DmxapiServiceError) return `minimax_${error.statusCode}`;
  if (error instanceof DmxapiConnectionError) return `connection_${error.reason}`;
  return error.code === 'dmxapi_timeout' ? 'timeout' : 'malformed';
}
