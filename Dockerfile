# syntax=docker/dockerfile:1

# Production dependencies only; the bot runs its TypeScript directly on Node 24 (type stripping),
# so there is no build stage and no dev dependency in the image.
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
# MALLOC_ARENA_MAX, MALLOC_MMAP_THRESHOLD_, NODE_COMPILE_CACHE and --max-semi-space-size below: see "Memory" in README.md.
ENV NODE_ENV=production \
    DATA_DIR=/data \
    HEALTH_PORT=8080 \
    LOG_FORMAT=json \
    MALLOC_ARENA_MAX=2 \
    MALLOC_MMAP_THRESHOLD_=131072 \
    NODE_COMPILE_CACHE=node_modules/.cache/node-compile-cache
# Debian's ffmpeg converts what the in-process WASM decoders do not cover (MP4/MOV video, ADTS AAC,
# AIFF); it runs as a separate process under prlimit (util-linux, already in the base image).
RUN apt-get update \
    && apt-get install -y --no-install-recommends ffmpeg \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY src ./src
# The code stays root-owned and read-only for the bot's user; only DATA_DIR is writable. A .env copied
# from .env.example may carry DATA_DIR=./data, which wins over the ENV above under --env-file: the
# link sends it to the volume too. Any other unwritable DATA_DIR stops the start with the reason.
# The compile cache is the one other place the bot writes: Node's type-stripped and compiled code.
RUN mkdir -p /data node_modules/.cache/node-compile-cache \
    && chown node:node /data node_modules/.cache/node-compile-cache \
    && ln -s /data /app/data
VOLUME ["/data"]
USER node
EXPOSE 8080
# Healthy while the gateway is connected and DATA_DIR is writable (GET /healthz answers 200).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+process.env.HEALTH_PORT+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
# Node itself is PID 1's command, not npm, so SIGTERM reaches the bot for a graceful shutdown.
STOPSIGNAL SIGTERM
CMD ["node", "--max-semi-space-size=1", "src/main.ts"]
