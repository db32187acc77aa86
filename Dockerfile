# Reseller Offboarding: build with the dev toolchain, run on production dependencies only.
# `docker build -t reseller-offboarding .` ; compose.yaml runs it with PostgreSQL 16.

FROM node:20-slim AS build
WORKDIR /app
# dependencies first, so a source change does not reinstall them; no install scripts run
# (none are relied on: the build below generates the Prisma client)
COPY package.json package-lock.json ./
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY . .
# prisma generate (a TypeScript client under src/) + tsc: the client is compiled into dist/
RUN npm run build

FROM node:20-slim AS runtime
# MALLOC_MMAP_THRESHOLD_: package.json's config.mallocEnv (glibc keeps freed memory otherwise;
# docs/benchmarks.md)
ENV NODE_ENV=production \
    PORT=3000 \
    DATA_DIR=/app/data \
    MALLOC_MMAP_THRESHOLD_=131072
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
# the compiled app, the migrations it applies at start, and the local console's page (used only
# when no Slack credentials are set); package.json above tells the app where its root is
COPY --from=build /app/dist/src ./dist/src
COPY --from=build /app/prisma/migrations ./prisma/migrations
COPY --from=build /app/src/stand-ins/console/page ./src/stand-ins/console/page
# the bot scopes the app needs: npm run doctor checks the token against them
COPY --from=build /app/manifest.yml ./manifest.yml
# DATA_DIR holds the embedded database and emulator state when no DATABASE_URL / PARTNER_CENTER_URL
RUN mkdir -p /app/data && chown node:node /app/data
USER node
EXPOSE 3000
# slim has no curl; Node 20 has fetch
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz', { signal: AbortSignal.timeout(4000) }).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
# `npm start` without its build step, with package.json's config.nodeFlags; node as PID 1 gets
# SIGTERM directly and drains work in flight before it exits
CMD ["node", "--max-semi-space-size=4", "--heap-growing-percent=50", "dist/src/main.js"]
