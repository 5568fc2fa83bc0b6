#!/usr/bin/env node
import { parseArgs } from 'node:util';
import { createGateway } from './gateway';
import { readIngressRoutes } from './ingress-routes';

const USAGE = `platform-gateway: the Ingress's path routing on one local port

  --ingress <file>          the Ingress manifest to route by (deploy/base/ingress.yaml)
  --backend <service=url>   where an Ingress backend service runs, once per service
  --port <n>                port to listen on (default 8080)
  --host <addr>             address to bind (default 127.0.0.1)`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      ingress: { type: 'string' },
      backend: { type: 'string', multiple: true },
      port: { type: 'string' },
      host: { type: 'string' },
      help: { type: 'boolean' },
    },
  });
  if (values.help === true || values.ingress === undefined) {
    console.log(USAGE);
    process.exit(values.help === true ? 0 : 64);
  }
  const backends = Object.fromEntries(
    (values.backend ?? []).map((pair) => {
      const eq = pair.indexOf('=');
      if (eq <= 0) throw new Error(`--backend must be service=url, got ${pair}`);
      return [pair.slice(0, eq), pair.slice(eq + 1)];
    }),
  );
  const app = await createGateway({ routes: readIngressRoutes(values.ingress), backends });
  const address = await app.listen({ port: Number(values.port ?? 8080), host: values.host ?? '127.0.0.1' });
  console.log(JSON.stringify({ url: address }));
  const stop = (): void => void app.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`platform-gateway: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
