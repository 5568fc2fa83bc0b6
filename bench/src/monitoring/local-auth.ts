import { createHmac } from 'node:crypto';
import net from 'node:net';

const b64 = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** An HS256 JWT, as the services accept with AUTH_JWT_SECRET (development mode). */
export function signHs256(secret: string, claims: Record<string, unknown>): string {
  const body = `${b64({ alg: 'HS256', typ: 'JWT' })}.${b64({ aud: 'platform-api', ...claims })}`;
  return `${body}.${createHmac('sha256', secret).update(body).digest('base64url')}`;
}

/** A TCP port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0));
    });
  });
}
