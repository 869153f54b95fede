# syntax=docker/dockerfile:1

# Production dependencies only; the bot runs its TypeScript directly on Node 24 (type stripping).
FROM node:24-bookworm-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

FROM node:24-bookworm-slim
ENV NODE_ENV=production \
    DATA_DIR=/data
WORKDIR /app
COPY --from=deps --chown=root:root /app/node_modules ./node_modules
COPY --chown=root:root package.json ./
COPY --chown=root:root src ./src
# The code is read-only for the bot's user; only DATA_DIR is writable.
RUN mkdir -p /data && chown node:node /data
VOLUME ["/data"]
USER node
# Not `npm start`: node as PID 1's child of npm would not get SIGTERM for a graceful shutdown.
CMD ["node", "--experimental-strip-types", "src/main.ts"]
