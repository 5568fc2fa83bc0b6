/** One `host:port` of a comma-separated address list (Sentinels, Cluster seed nodes). */
export interface HostPort {
  host: string;
  port: number;
}

// A host name or IPv4 address, or an IPv6 address in brackets (its colons would be ambiguous).
const ENTRY = /^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/;

/** Parses `host:port,host:port`; undefined when any entry is not a valid address. */
export function parseHostPortList(text: string): HostPort[] | undefined {
  const entries = text.split(',').map((entry) => entry.trim());
  const parsed: HostPort[] = [];
  for (const entry of entries) {
    const match = ENTRY.exec(entry);
    const port = Number(match?.[2]);
    if (match === null || port < 1 || port > 65535) return undefined;
    parsed.push({ host: (match[1] ?? '').replace(/^\[(.*)\]$/, '$1'), port });
  }
  return parsed;
}
