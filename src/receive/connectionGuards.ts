// Guards the receiver applies before routing: silent connections closed, a connection cap, and (without
// auth) loopback Host headers only, so a page on a rebinding domain cannot post into the training data.
import type { IncomingMessage, Server } from 'node:http';
import type { Socket } from 'node:net';

/**
 * Closes connections that send no request within `idleMs` and caps open connections at `max`. Node closes
 * no connection that never sends a byte (its headersTimeout starts with the first one), so the server's
 * inactivity timer does it; sockets that spoke are left to the body deadline and keep-alive timeout, as a
 * long query is silent too. Returns the function that marks a request's socket as having spoken.
 */
export function guardConnections(
  server: Server,
  options: { idleMs: number; max: number },
): (req: IncomingMessage) => void {
  const spoke = new WeakSet<Socket>();
  server.maxConnections = options.max;
  server.timeout = options.idleMs;
  server.on('timeout', (socket: Socket) => {
    if (!spoke.has(socket)) socket.destroy();
  });
  return (req) => spoke.add(req.socket);
}

/** True when the Host header names loopback (any port) or the very address the server listens on. */
export function isLocalHost(hostHeader: string | undefined, listenHost: string): boolean {
  if (hostHeader === undefined) return false;
  const host = hostHeader
    .trim()
    .toLowerCase()
    .replace(/:\d+$/, '')
    .replace(/^\[|\]$/g, '');
  if (host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host)) return true;
  const listen = listenHost.toLowerCase();
  return host === listen && listen !== '0.0.0.0' && listen !== '::';
}
