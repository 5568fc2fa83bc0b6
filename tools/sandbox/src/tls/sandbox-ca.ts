// @peculiar/x509 resolves its ASN.1 services through tsyringe, which needs the Reflect metadata API.
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { isIP } from 'node:net';
import path from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

/** ECDSA P-256 with SHA-256: what kubeadm's and client-go's own self-signed certificates use. */
const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
const DAY_MS = 86_400_000;

/** The sandbox's certificate authority: its PEM and the file clients point at. */
export interface SandboxCa {
  /** `<dataDir>/tls/ca.crt`: what a kubeconfig's certificate-authority or a `*_CA_FILE` names. */
  caFile: string;
  caPem: string;
  /** Issues a server certificate for these host names and IP addresses, signed by the CA. */
  issueServerCertificate(hosts: string[]): Promise<{ certPem: string; keyPem: string }>;
}

/**
 * Loads the CA kept in `<dataDir>/tls`, or creates it there: a sandbox restarted on the same data
 * folder keeps the CA that clients (a saved kubeconfig, a `*_CA_FILE`) already trust.
 */
export async function loadOrCreateCa(dataDir: string): Promise<SandboxCa> {
  const dir = path.join(dataDir, 'tls');
  const caFile = path.join(dir, 'ca.crt');
  const keyFile = path.join(dir, 'ca.key');
  let caPem: string;
  let caKey: webcrypto.CryptoKey;
  if (existsSync(caFile) && existsSync(keyFile)) {
    caPem = readFileSync(caFile, 'utf8');
    caKey = await importKey(readFileSync(keyFile, 'utf8'));
  } else {
    const created = await createCa();
    caPem = created.caPem;
    caKey = created.keys.privateKey;
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    writeFileSync(keyFile, await exportKey(caKey), { mode: 0o600 });
    writeFileSync(caFile, caPem);
  }
  const caCert = new x509.X509Certificate(caPem);
  return {
    caFile,
    caPem,
    issueServerCertificate: (hosts) => issue(caCert, caKey, hosts),
  };
}

async function createCa(): Promise<{ caPem: string; keys: webcrypto.CryptoKeyPair }> {
  const keys = await generateKeys();
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    name: 'CN=platform-sandbox-ca',
    keys,
    signingAlgorithm: ALGORITHM,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 10 * 365 * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });
  return { caPem: cert.toString('pem'), keys };
}

async function issue(
  ca: x509.X509Certificate,
  caKey: webcrypto.CryptoKey,
  hosts: string[],
): Promise<{ certPem: string; keyPem: string }> {
  const keys = await generateKeys();
  const now = Date.now();
  const names = [...new Set(hosts)].map((host): x509.JsonGeneralName => ({
    type: isIP(host) === 0 ? 'dns' : 'ip',
    value: host,
  }));
  const cert = await x509.X509CertificateGenerator.create({
    subject: 'CN=platform-sandbox',
    issuer: ca.subject,
    publicKey: keys.publicKey,
    signingKey: caKey,
    signingAlgorithm: ALGORITHM,
    notBefore: new Date(now - DAY_MS),
    notAfter: new Date(now + 365 * DAY_MS),
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(await ca.publicKey.export()),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await exportKey(keys.privateKey) };
}

function generateKeys(): Promise<webcrypto.CryptoKeyPair> {
  return webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']);
}

async function exportKey(key: webcrypto.CryptoKey): Promise<string> {
  const der = Buffer.from(await webcrypto.subtle.exportKey('pkcs8', key));
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PRIVATE KEY-----\n${lines.join('\n')}\n-----END PRIVATE KEY-----\n`;
}

function importKey(pem: string): Promise<webcrypto.CryptoKey> {
  const der = Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
  return webcrypto.subtle.importKey('pkcs8', der, ALGORITHM, true, ['sign']);
}
