import { HttpTransport, type TransportOptions } from '../http/http-transport';
import { HttpImageRegistry } from './http-image-registry';
import type { ImageRegistry } from './image-registry';
import { RegistryTokenAuth, type RegistryCredentials } from './registry-token-auth';

/** How a service reaches its registry. */
export interface RegistryConnection extends Omit<TransportOptions, 'upstream' | 'auth' | 'baseUrl'> {
  /** scheme + host the service calls, e.g. https://harbor.example.com. */
  url: string;
  /** A read-only robot; without, the registry is asked anonymously. */
  credentials?: RegistryCredentials;
}

/** An {@link ImageRegistry} for `connection`, with the token flow and timeouts set up. */
export function imageRegistry(connection: RegistryConnection): ImageRegistry {
  const { url, credentials, ...transport } = connection;
  return new HttpImageRegistry(
    new HttpTransport({ ...transport, baseUrl: url, upstream: 'REGISTRY' }),
    new RegistryTokenAuth(credentials, transport),
    credentials?.username,
  );
}
