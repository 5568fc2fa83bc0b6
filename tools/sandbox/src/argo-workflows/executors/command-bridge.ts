import { randomBytes } from 'node:crypto';
import net from 'node:net';
import path from 'node:path';
import type { CommandHandler, CommandIo } from './command-io';

/** What a bridged program sends when it starts. */
interface BridgeRequest {
  name: string;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
}

export interface CommandBridgeOptions {
  /** Interpreted programs by name (`argocd`, `executor`, `buildctl`...). */
  handlers: Record<string, CommandHandler>;
  /** Host paths in what the program sent, back to container paths. */
  toContainerText: (text: string) => string;
  /** Host path of a container path. */
  toHost: (containerPath: string) => string;
  /** Aborted when the step is killed. */
  signal: AbortSignal;
}

/**
 * Lets a real process (the image's shell) run a program the sandbox interprets: the image's
 * program path is a small node script ({@link CommandBridge.program}) that sends its argv,
 * environment and folder over a socket and copies back the interpreter's stdout, stderr and
 * exit status. So `argocd app get ... > /workspace/app.json` is redirected by the image's own
 * shell, as the image's user, and fails as that shell fails.
 */
export class CommandBridge {
  /** An unexpected error of an interpreter (a sandbox bug): the step fails with it. */
  failure: unknown;
  private readonly sockets = new Set<net.Socket>();

  private constructor(
    private readonly server: net.Server,
    private readonly options: CommandBridgeOptions,
  ) {}

  /** Starts listening at `address` (see {@link newBridgeAddress}). */
  static async listen(address: string, options: CommandBridgeOptions): Promise<CommandBridge> {
    const server = net.createServer();
    const bridge = new CommandBridge(server, options);
    server.on('connection', (socket) => bridge.serve(socket));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(address, () => {
        server.off('error', reject);
        resolve();
      });
    });
    return bridge;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    const abort = new AbortController();
    const stop = (): void => abort.abort();
    this.options.signal.addEventListener('abort', stop, { once: true });
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.options.signal.removeEventListener('abort', stop);
      stop();
    });
    socket.on('error', () => undefined);
    let buffered = '';
    const onData = (chunk: Buffer): void => {
      buffered += chunk.toString('utf8');
      const newline = buffered.indexOf('\n');
      if (newline < 0) return;
      socket.off('data', onData);
      const request = JSON.parse(buffered.slice(0, newline)) as BridgeRequest;
      void this.run(request, socket, abort.signal);
    };
    socket.on('data', onData);
  }

  private async run(request: BridgeRequest, socket: net.Socket, signal: AbortSignal): Promise<void> {
    const send = (message: Record<string, unknown>): void => {
      if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
    };
    const { toContainerText, toHost, handlers } = this.options;
    const cwd = toContainerText(request.cwd);
    const io: CommandIo = {
      env: new Map(Object.entries(request.env).map(([k, v]) => [k, toContainerText(v)])),
      cwd,
      out: (data) => send({ fd: 1, data }),
      err: (data) => send({ fd: 2, data }),
      resolvePath: (p) => toHost(p.startsWith('/') ? p : path.posix.join(cwd, p)),
      signal,
    };
    const handler = handlers[request.name];
    let exit: number;
    if (handler === undefined) {
      io.err(`sandbox: no interpreter for ${request.name}\n`);
      exit = 127;
    } else {
      try {
        exit = await handler([request.name, ...request.argv.map(toContainerText)], io);
      } catch (error) {
        this.failure ??= error;
        exit = 1;
      }
    }
    send({ exit });
    socket.end();
  }
}

/** A Linux abstract socket address: reachable whatever user the step runs as, nothing to clean up. */
export function newBridgeAddress(): string {
  return `\0platform-sandbox-bridge-${randomBytes(8).toString('hex')}`;
}

/** The file standing for the interpreted program `name` in the container's filesystem. */
export function bridgeProgram(name: string, address: string): string {
  return `#!${process.execPath}\n${clientSource(name, address)}`;
}

/**
 * The bridged program: plain CommonJS for this machine's node, run as the step's user. It exits
 * with the interpreter's status once the socket closes, its output written synchronously (pipes).
 */
function clientSource(name: string, address: string): string {
  return `'use strict';
const net = require('node:net');
// Until the interpreter says otherwise: a bridge that breaks must not pass the step.
process.exitCode = 1;
// A reader that went away (\`argocd ... | missing-tool\`) ends a Go program by SIGPIPE, silently.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error) => {
    if (error.code === 'EPIPE') process.exit(141);
    throw error;
  });
}
const socket = net.connect(${JSON.stringify(address)});
socket.on('connect', () => {
  const request = { name: ${JSON.stringify(name)}, argv: process.argv.slice(2), env: process.env, cwd: process.cwd() };
  socket.write(JSON.stringify(request) + '\\n');
});
let buffered = '';
socket.setEncoding('utf8');
socket.on('data', (chunk) => {
  buffered += chunk;
  let newline;
  while ((newline = buffered.indexOf('\\n')) >= 0) {
    const message = JSON.parse(buffered.slice(0, newline));
    buffered = buffered.slice(newline + 1);
    if (message.exit !== undefined) process.exitCode = message.exit;
    else (message.fd === 2 ? process.stderr : process.stdout).write(message.data);
  }
});
socket.on('error', (error) => {
  process.stderr.write(${JSON.stringify(name)} + ': sandbox bridge: ' + error.message + '\\n');
  process.exitCode = 1;
});
`;
}
