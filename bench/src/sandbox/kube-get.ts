import fs from 'node:fs';
import https from 'node:https';

/**
 * GET from the sandbox's Kubernetes API, which serves HTTPS signed by the sandbox's CA (the file
 * it reports as caFile): verified against that CA, never with verification off.
 */
export function kubeGetJson<T>(url: string, token: string, caFile: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const req = https.get(
      url,
      { ca: fs.readFileSync(caFile), headers: { authorization: `Bearer ${token}` } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('error', reject);
        res.on('end', () => {
          if (res.statusCode !== 200) reject(new Error(`GET ${url}: ${res.statusCode} ${text}`));
          else resolve(JSON.parse(text) as T);
        });
      },
    );
    req.on('error', reject);
  });
}
