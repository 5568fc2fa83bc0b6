import { createContext } from '../../src/core/create-context';
import type { SandboxConfig, SandboxContext } from '../../src/core/sandbox-context';
import { registryHandler } from '../../src/registry/registry.server';
import { serve } from '../../src/testing/serve';

export interface RegistryUnderTest {
  ctx: SandboxContext;
  url: string;
  close(): Promise<void>;
}

/** A context with only the registry server listening (Harbor auth unless `config` says otherwise). */
export async function startRegistry(
  config: Partial<SandboxConfig> = {},
  speed = 1,
): Promise<RegistryUnderTest> {
  const ctx = createContext(config, speed);
  const server = await serve(registryHandler(ctx));
  ctx.urls.registry = server.url;
  return { ctx, url: server.url, close: () => server.close() };
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

/** A token from the registry's token service for `scope`, with basic credentials when given. */
export async function fetchToken(
  url: string,
  scope: string | undefined,
  login?: { username: string; password: string },
): Promise<{ status: number; token?: string; body: string }> {
  const query = new URLSearchParams({ service: 'harbor-registry' });
  if (scope !== undefined) query.set('scope', scope);
  const res = await fetch(`${url}/service/token?${query.toString()}`, {
    headers: login === undefined ? {} : { authorization: basicAuth(login.username, login.password) },
  });
  const body = await res.text();
  const token = res.status === 200 ? (JSON.parse(body) as { token: string }).token : undefined;
  return { status: res.status, token, body };
}
