import 'reflect-metadata';
import { Controller, Get, Module, Res, type INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A minimal Nest app run on either HTTP adapter in its own process: a JSON page like the app
 * list, and an SSE endpoint whose clients get every broadcast. Commands arrive over IPC.
 */
const clients = new Set<ServerResponse>();
const page = Array.from({ length: 50 }, (_, i) => ({
  app: `app-${i}`,
  team: `team-${i % 7}`,
  sync: 'Synced',
  health: i % 9 === 0 ? 'Degraded' : 'Healthy',
  build: { phase: 'Succeeded', image: `registry.local/team/app-${i}:1.0.${i}` },
  pods: { ready: 3, total: 3, restarts: 0 },
}));

interface RawResponseHolder {
  raw?: ServerResponse;
}

@Controller()
class BenchController {
  @Get('items')
  items(): typeof page {
    return page;
  }

  @Get('events')
  events(@Res() res: ServerResponse & RawResponseHolder & { hijack?: () => void }): void {
    res.hijack?.();
    const raw = res.raw ?? res;
    raw.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
    raw.flushHeaders();
    clients.add(raw);
    raw.on('close', () => clients.delete(raw));
  }
}

@Module({ controllers: [BenchController] })
class BenchModule {}

async function main(): Promise<void> {
  const kind = process.argv[2];
  const app: INestApplication =
    kind === 'fastify'
      ? await NestFactory.create(BenchModule, new FastifyAdapter(), { logger: false })
      : await NestFactory.create(BenchModule, new ExpressAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const server = app.getHttpServer() as Server;
  const { port } = server.address() as AddressInfo;
  process.on('message', (message: { broadcast?: { count: number; intervalMs: number } }) => {
    if (message.broadcast) void broadcast(message.broadcast.count, message.broadcast.intervalMs);
  });
  process.send?.({ port, clients: 0 });
  setInterval(() => process.send?.({ clients: clients.size }), 200).unref();
}

async function broadcast(count: number, intervalMs: number): Promise<void> {
  for (let i = 0; i < count; i += 1) {
    const frame = `event: tick\nid: ${i}\ndata: {"sentAt":${Date.now()},"seq":${i}}\n\n`;
    for (const client of clients) client.write(frame);
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
  process.send?.({ broadcastDone: true });
}

void main();
