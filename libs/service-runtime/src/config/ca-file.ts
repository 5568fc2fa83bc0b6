import { registerDecorator, type ValidationArguments } from 'class-validator';
import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';

/**
 * Reads a CA bundle (PEM). Returns the text, or why it cannot serve as one: the file cannot be read,
 * or holds no certificate Node can parse.
 */
export function readCaFile(file: string): { pem: string } | { problem: string } {
  let pem: string;
  try {
    pem = readFileSync(file, 'utf8');
  } catch (error) {
    return { problem: `cannot be read: ${(error as Error).message}` };
  }
  const first = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(pem)?.[0];
  if (first === undefined)
    return { problem: `${file} holds no PEM certificate (-----BEGIN CERTIFICATE-----)` };
  try {
    new X509Certificate(first);
  } catch (error) {
    return { problem: `${file} holds a certificate that cannot be parsed: ${(error as Error).message}` };
  }
  return { pem };
}

/** The text of a CA file the config schema already validated; undefined when unset. */
export function caBundle(file: string | undefined): string | undefined {
  if (file === undefined) return undefined;
  const read = readCaFile(file);
  if ('problem' in read) throw new Error(`CA file ${file} ${read.problem}`);
  return read.pem;
}

/**
 * Validates that a setting names a readable PEM CA bundle, at start, so that a wrong path stops the
 * service with the key's name rather than failing every upstream call later.
 */
export function IsCaFile(): PropertyDecorator {
  return (target, propertyName) => {
    registerDecorator({
      name: 'isCaFile',
      target: target.constructor,
      propertyName: String(propertyName),
      validator: {
        validate: (value: unknown) => typeof value === 'string' && 'pem' in readCaFile(value),
        defaultMessage: (args: ValidationArguments) => {
          const read = typeof args.value === 'string' ? readCaFile(args.value) : undefined;
          const why = read !== undefined && 'problem' in read ? read.problem : 'must be a file path';
          return `${args.property} (a PEM CA bundle) ${why}`;
        },
      },
    });
  };
}
