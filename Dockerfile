# Every image of the repository, one per service, built from the repository root (the context):
#   docker build --build-arg SERVICE=task -t platform-api/task .
# SERVICE is task, monitoring, summary (the services), gateway or sandbox (docker-compose's
# local gateway and control plane): the workspace package @platform/$SERVICE.
# Turborepo's with-docker layout: prune the monorepo to that package and the workspaces it uses,
# install from the pruned lockfile, build, then ship the built output on a production-only install.
# What differs between the images is only their last stage, chosen by SERVICE at the end.

ARG SERVICE

FROM node:20-bookworm-slim AS pruner
ARG SERVICE
ENV TURBO_TELEMETRY_DISABLED=1
WORKDIR /app
COPY . .
# The same turbo version as the root package.json, so the pruned lockfile matches the real one.
RUN npx --yes turbo@2.11.11 prune @platform/${SERVICE} --docker

FROM node:20-bookworm-slim AS builder
ARG SERVICE
ENV TURBO_TELEMETRY_DISABLED=1
WORKDIR /app
# Manifests and lockfile first: this layer is reused until a dependency changes.
COPY --from=pruner /app/out/json/ .
COPY --from=pruner /app/out/package-lock.json ./package-lock.json
RUN npm ci
COPY --from=pruner /app/out/full/ .
# turbo prune copies workspaces, not the root compiler settings every tsconfig extends.
COPY --from=pruner /app/tsconfig.base.json ./tsconfig.base.json
RUN npx turbo run build --filter=@platform/${SERVICE}
# The dist of the package and of every workspace it needs at run time, at their paths, as npm
# resolves them (no list by hand): /dists/<folder>/dist.
COPY deploy/image/runtime-workspaces.sh /usr/local/bin/runtime-workspaces.sh
RUN runtime-workspaces.sh @platform/${SERVICE} > /tmp/workspaces \
  && while read -r folder; do \
       mkdir -p "/dists/$folder" && cp -R "$folder/dist" "/dists/$folder/dist" || exit 1; \
     done < /tmp/workspaces

FROM node:20-bookworm-slim AS runtime
# tini as PID 1: forwards SIGTERM to node (which drains, then exits) and reaps zombies.
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/* \
  && groupadd --system --gid 10001 app \
  && useradd --system --uid 10001 --gid app --no-create-home --shell /usr/sbin/nologin app
WORKDIR /app
ENV NODE_ENV=production
COPY --from=pruner /app/out/json/ .
COPY --from=pruner /app/out/package-lock.json ./package-lock.json
RUN npm ci --omit=dev && npm cache clean --force
# Built output only; the files stay owned by root so the process cannot change its own code.
COPY --from=builder /dists/ ./
# Starts node with a heap ceiling derived from the container's memory limit (deploy/README.md).
COPY deploy/image/node-heap-guard.sh /usr/local/bin/node-heap-guard.sh
ENTRYPOINT ["/usr/bin/tini", "--"]

# The three services. Numeric user, so that the kubelet can verify runAsNonRoot; matches
# runAsUser in deploy/base.
FROM runtime AS task
USER 10001:10001
EXPOSE 3001
CMD ["/usr/local/bin/node-heap-guard.sh", "apps/task/dist/main.js"]

FROM runtime AS monitoring
USER 10001:10001
EXPOSE 3002
CMD ["/usr/local/bin/node-heap-guard.sh", "apps/monitoring/dist/main.js"]

FROM runtime AS summary
USER 10001:10001
EXPOSE 3003
CMD ["/usr/local/bin/node-heap-guard.sh", "apps/summary/dist/main.js"]

# The local gateway (the Ingress's path routing on one port), routing by the repo's
# deploy/base/ingress.yaml. Its program is reached through its workspace link
# (node_modules/@platform/gateway), so this file names no folder of it.
FROM runtime AS gateway
COPY deploy/base/ingress.yaml ./deploy/base/ingress.yaml
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["/usr/bin/tini", "--", "node", "node_modules/@platform/gateway/dist/cli.js"]
CMD ["--ingress", "deploy/base/ingress.yaml", "--host", "0.0.0.0", "--port", "8080"]

# The sandbox control plane. It runs workflow steps with git and curl, so the image carries both;
# the repo's app templates and WorkflowTemplates are inside, as a cluster would have them.
FROM runtime AS sandbox
RUN apt-get update \
  && apt-get install -y --no-install-recommends git curl ca-certificates \
  && rm -rf /var/lib/apt/lists/* \
  && mkdir -p /home/app && chown app:app /home/app \
  && mkdir /data && chown app:app /data
COPY deploy/templates/repos ./deploy/templates/repos
COPY deploy/argo ./deploy/argo
COPY deploy/team ./deploy/team
USER 10001:10001
VOLUME /data
EXPOSE 7100 7101 7102 7103 7104
ENTRYPOINT ["/usr/bin/tini", "--", "node", "node_modules/@platform/sandbox/dist/cli.js"]
CMD ["--host", "0.0.0.0", "--port-base", "7100", "--data-dir", "/data", "--templates", "deploy/templates/repos", "--manifests", "deploy/argo"]

# The image SERVICE names (a build without --build-arg SERVICE fails here).
FROM ${SERVICE}
