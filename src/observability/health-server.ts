import { access, constants } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BotMetrics } from './metrics.ts';

export interface HealthChecks {
  /** Whether the gateway connection is up and ready. */
  gatewayReady(): boolean;
  readonly dataDir: string;
  /** Risks an operator should fix that do not stop the bot from serving (so /healthz stays 200). */
  warnings(): readonly string[];
  /** Whether ffmpeg conversion (MP4/MOV video, AAC, AIFF) is on; shown, never a reason to be unhealthy. */
  ffmpeg?(): { readonly available: boolean; readonly detail: string };
}

export interface HealthServer {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * `GET /healthz`: 200 while the bot can serve (gateway ready, DATA_DIR writable), 503 with the
 * reasons otherwise; `warnings` lists risks to fix either way. `GET /metrics`: Prometheus text.
 */
export async function startHealthServer(
  port: number,
  host: string,
  checks: HealthChecks,
  metrics: BotMetrics,
): Promise<HealthServer> {
  const server: Server = createServer((request, response) => {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, { allow: 'GET, HEAD' }).end();
      return;
    }
    if (path === '/healthz') {
      void problems(checks).then((found) => {
        const warnings = checks.warnings();
        const ffmpeg = checks.ffmpeg?.();
        const body = JSON.stringify({
          ...(found.length === 0 ? { status: 'ok' } : { status: 'unhealthy', problems: found }),
          ...(warnings.length === 0 ? {} : { warnings }),
          ...(ffmpeg && {
            conversion: { ffmpeg: ffmpeg.available ? 'available' : 'unavailable', detail: ffmpeg.detail },
          }),
        });
        response.writeHead(found.length === 0 ? 200 : 503, { 'content-type': 'application/json' }).end(body);
      });
      return;
    }
    if (path === '/metrics') {
      metrics.render().then(
        (text) => response.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
        () => response.writeHead(500).end(),
      );
      return;
    }
    response.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /healthz or /metrics\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function problems(checks: HealthChecks): Promise<string[]> {
  const found: string[] = [];
  if (!checks.gatewayReady()) found.push('gateway not connected');
  try {
    await access(checks.dataDir, constants.W_OK);
  } catch {
    found.push(`DATA_DIR ${checks.dataDir} is not writable`);
  }
  return found;
}
