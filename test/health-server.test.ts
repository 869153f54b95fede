import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DmxapiHttpError, DmxapiServiceError } from '../src/dmxapi/errors.ts';
import { startHealthServer, type HealthServer } from '../src/observability/health-server.ts';
import { BotMetrics } from '../src/observability/metrics.ts';
import { EmptyAudioError } from '../src/audio/errors.ts';

let dataDir: string;
let gatewayReady = true;
let checkedDir: string;
let warnings: string[] = [];
let server: HealthServer;
const metrics = new BotMetrics({
  uploadsWaiting: () => 3,
  uploadsInFlight: () => 4,
  gatewayPingMs: () => 42,
  audioWorkers: () => ({
    busy: 1,
    idle: 2,
    queued: 5,
    terminatedForTimeout: 3,
    terminatedForMemory: 1,
    crashed: 0,
  }),
});

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'health-'));
  checkedDir = dataDir;
  server = await startHealthServer(
    0,
    '127.0.0.1',
    {
      gatewayReady: () => gatewayReady,
      get dataDir() {
        return checkedDir;
      },
      warnings: () => warnings,
    },
    metrics,
  );
});

afterAll(async () => {
  await server.close();
  await rm(dataDir, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; type: string; text: string }> {
  const response = await request(`http://127.0.0.1:${server.port}${path}`);
  return {
    status: response.statusCode,
    type: String(response.headers['content-type']),
    text: await response.body.text(),
  };
}

describe('/healthz', () => {
  it('answers 200 while the gateway is ready and DATA_DIR is writable', async () => {
    gatewayReady = true;
    checkedDir = dataDir;
    const response = await get('/healthz');
    expect(response.status).toBe(200);
    expect(JSON.parse(response.text)).toEqual({ status: 'ok' });
  });

  it('answers 503 with every reason when the gateway is down and DATA_DIR is not writable', async () => {
    gatewayReady = false;
    checkedDir = join(dataDir, 'missing');
    const response = await get('/healthz');
    expect(response.status).toBe(503);
    expect(JSON.parse(response.text)).toEqual({
      status: 'unhealthy',
      problems: ['gateway not connected', `DATA_DIR ${checkedDir} is not writable`],
    });
  });

  it('lists warnings either way, without turning a healthy bot unhealthy', async () => {
    gatewayReady = true;
    checkedDir = dataDir;
    warnings = ['ALLOWED_GUILD_IDS is empty and the application is public'];
    try {
      const response = await get('/healthz');
      expect(response.status).toBe(200);
      expect(JSON.parse(response.text)).toEqual({ status: 'ok', warnings });
      gatewayReady = false;
      expect(JSON.parse((await get('/healthz')).text)).toMatchObject({ status: 'unhealthy', warnings });
    } finally {
      warnings = [];
    }
  });

  it('answers 404 elsewhere', async () => {
    expect((await get('/')).status).toBe(404);
  });
});

describe('/metrics', () => {
  it('serves Prometheus text with uploads by purpose and outcome, stage histograms, bytes, DMXAPI errors and live gauges', async () => {
    metrics.uploadSucceeded('voice_clone', 1000, { downloadMs: 20, inspectMs: 2, uploadMs: 300 });
    metrics.uploadSucceeded('voice_clone', 500, { downloadMs: 20, inspectMs: 2, uploadMs: 300 });
    metrics.uploadFailed('prompt_audio', new EmptyAudioError());
    metrics.uploadFailed('voice_clone', new DmxapiHttpError({ status: 429 }));
    metrics.uploadFailed('voice_clone', new DmxapiServiceError(2037, 'too short', undefined));

    const response = await get('/metrics');
    expect(response.status).toBe(200);
    expect(response.type).toContain('text/plain');
    const text = response.text;
    expect(text).toContain('voicebot_uploads_total{purpose="voice_clone",outcome="uploaded"} 2');
    expect(text).toContain('voicebot_uploads_total{purpose="prompt_audio",outcome="rejected"} 1');
    expect(text).toContain('voicebot_uploads_total{purpose="voice_clone",outcome="dmxapi_error"} 2');
    expect(text).toContain('voicebot_uploaded_bytes_total 1500');
    expect(text).toContain('voicebot_upload_stage_duration_seconds_count{stage="upload"} 2');
    expect(text).toContain('voicebot_upload_stage_duration_seconds_bucket{le="0.5",stage="upload"} 2');
    expect(text).toContain('voicebot_dmxapi_errors_total{code="http_429"} 1');
    expect(text).toContain('voicebot_dmxapi_errors_total{code="minimax_2037"} 1');
    expect(text).toContain('voicebot_uploads_waiting 3');
    expect(text).toContain('voicebot_uploads_in_flight 4');
    expect(text).toContain('voicebot_gateway_latency_seconds 0.042');
    expect(text).toContain('voicebot_audio_workers{state="busy"} 1');
    expect(text).toContain('voicebot_audio_workers{state="idle"} 2');
    expect(text).toContain('voicebot_audio_jobs_queued 5');
    expect(text).toContain('voicebot_audio_workers_terminated_total{reason="timeout"} 3');
    expect(text).toContain('voicebot_audio_workers_terminated_total{reason="memory"} 1');
    expect(text).toContain('process_resident_memory_bytes');
  });
});

describe('/healthz and ffmpeg conversion', () => {
  it('says whether ffmpeg conversion is on, without calling a bot without it unhealthy', async () => {
    let ffmpeg = { available: false, detail: 'prlimit: failed to execute /nonexistent/ffmpeg' };
    const own = await startHealthServer(
      0,
      '127.0.0.1',
      { gatewayReady: () => true, dataDir, warnings: () => [], ffmpeg: () => ffmpeg },
      metrics,
    );
    try {
      const ask = async () => {
        const response = await request(`http://127.0.0.1:${own.port}/healthz`);
        return { status: response.statusCode, body: await response.body.json() };
      };
      expect(await ask()).toEqual({
        status: 200,
        body: { status: 'ok', conversion: { ffmpeg: 'unavailable', detail: ffmpeg.detail } },
      });
      ffmpeg = { available: true, detail: 'ffmpeg version 5.1.9-0+deb12u1' };
      expect((await ask()).body).toMatchObject({ conversion: { ffmpeg: 'available' } });
    } finally {
      await own.close();
    }
  });
});
