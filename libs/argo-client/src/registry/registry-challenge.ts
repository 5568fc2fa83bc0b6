/** A `WWW-Authenticate` challenge of a registry (RFC 7235 auth-params, as distribution writes them). */
export interface RegistryChallenge {
  scheme: 'bearer' | 'basic' | 'other';
  realm?: string;
  service?: string;
  scope?: string;
}

/** `Bearer realm="https://h/service/token",service="harbor-registry",scope="repository:a/b:pull"`. */
export function parseChallenge(header: string | string[] | undefined): RegistryChallenge | undefined {
  const text = (Array.isArray(header) ? header[0] : header)?.trim() ?? '';
  if (text === '') return undefined;
  const space = text.indexOf(' ');
  const name = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const params: Record<string, string> = {};
  for (const m of text.slice(space + 1).matchAll(/([a-zA-Z_]+)="([^"]*)"/g)) {
    if (m[1] !== undefined) params[m[1].toLowerCase()] = m[2] ?? '';
  }
  return {
    scheme: name === 'bearer' ? 'bearer' : name === 'basic' ? 'basic' : 'other',
    realm: params.realm,
    service: params.service,
    scope: params.scope,
  };
}
