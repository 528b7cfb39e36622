import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { AppDeps } from '../../shared/adapters/deps.js';
import { createAreaHandler, type HttpEvent, type HttpHandler } from '../../shared/http/area-handler.js';
import { MethodNotAllowed, Unauthorized, HttpError } from '../../shared/http/errors.js';
import type { Operation } from '../../shared/http/operation.js';
import { problemResponse } from '../../shared/http/problem.js';
import type { Area, RouteSpec } from '../../shared/http/route-spec.js';
import { routeKey } from '../../shared/http/route-spec.js';
import { verifyToken, type LocalKeys } from './auth-keys.js';
import type { DevRoute } from './dev-routes.js';
import { createRouteMatcher } from './route-matcher.js';
import { timedInvocation, type InvocationListener } from './invocations.js';
import { NotFound } from '../../shared/domain/errors.js';

export interface LocalApiOptions {
  deps: AppDeps;
  routes: readonly RouteSpec[];
  areas: Partial<Record<Area, Operation[]>>;
  keys: LocalKeys;
  /** Routes only the local API serves, by `METHOD /path` (see dev-routes.ts). */
  devRoutes?: Record<string, DevRoute>;
  /** Largest request body accepted: Lambda's 6 MB request payload limit unless set. */
  maxBodyBytes?: number;
  /** How much of a too-large body is read and discarded before answering 413 (default 64 MB). */
  maxDrainBytes?: number;
  /** Hears each area Lambda's invocation (not the dev routes: they are no part of the deployed API). */
  onInvoke?: InvocationListener;
}

export interface LocalApi {
  server: Server;
  listen: (port: number, host?: string) => Promise<string>;
  close: () => Promise<void>;
}

/** Lambda refuses synchronous request payloads over 6 MB; the local API refuses the same bodies. */
export const LAMBDA_MAX_BODY_BYTES = 6 * 1024 * 1024;

const payloadTooLarge = (limit: number): HttpError =>
  new HttpError(413, 'Payload Too Large', `The request body is larger than ${limit} bytes (the Lambda request payload limit)`, undefined, { Connection: 'close' });

/**
 * Reads the body, at most `limit` bytes. A larger body gets 413 problem+json, but only once the rest
 * of it has been read and thrown away (up to `drainLimit` bytes): a server that answers and closes
 * while the client is still sending makes the client see a reset connection instead of the answer.
 * The 413 closes the connection. Past `drainLimit`, the 413 goes at once and the connection is cut.
 */
const readBody = (req: IncomingMessage, limit: number, drainLimit: number): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= limit) chunks.push(chunk);
      else if (size > drainLimit) {
        req.removeAllListeners('data');
        req.pause();
        reject(payloadTooLarge(limit));
      } else chunks.length = 0; // keep draining, keep nothing
    });
    req.on('end', () => (size > limit ? reject(payloadTooLarge(limit)) : resolve(Buffer.concat(chunks).toString('utf8'))));
    req.on('error', reject);
  });

/** How long a refused connection keeps reading what the client still sends before it is closed. */
const LINGER_MS = 5_000;

/**
 * A lingering close (as Apache and nginx do) for a request whose body is refused before it is read:
 * whatever body the client still sends (many send it without waiting for `100 Continue`) is read and
 * thrown away, up to `budget` bytes, and once the answer is out our side sends FIN and waits (at most
 * LINGER_MS) for the client to close. Closing with unread bytes would make the kernel answer with a
 * reset, and a client still sending would lose the 413 it has not read yet. Node's server ends a
 * `Connection: close` answer with `socket.destroySoon()`, which closes at once; this connection's
 * is replaced.
 */
const closeWithoutReset = (req: IncomingMessage, budget: number): void => {
  const { socket } = req;
  let seen = 0;
  req.on('data', (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > budget) socket.destroy();
  });
  socket.destroySoon = () => {
    socket.end();
    const timer = setTimeout(() => socket.destroy(), LINGER_MS).unref();
    socket.once('close', () => clearTimeout(timer));
  };
};

type HandlerResult = { statusCode?: number; headers?: Record<string, unknown>; body?: string };

const headersOf = (req: IncomingMessage): Record<string, string> =>
  Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(',') : (v ?? '')]));

const queryOf = (search: URLSearchParams): Record<string, string> | undefined => {
  const out: Record<string, string> = {};
  for (const [k, v] of search) out[k] = k in out ? `${out[k]},${v}` : v;
  return Object.keys(out).length > 0 ? out : undefined;
};

const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-headers': 'authorization,content-type,if-match,idempotency-key,x-correlation-id,x-change-reason',
  'access-control-allow-methods': 'GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS',
  'access-control-expose-headers': 'etag,location,idempotent-replayed',
};

/**
 * The local API Gateway: matches the route table, verifies the bearer token as the JWT authorizer
 * would (401 before any handler runs), builds an API Gateway v2 event and calls the same area handler
 * that runs in Lambda.
 */
export const createLocalApi = (options: LocalApiOptions): LocalApi => {
  const match = createRouteMatcher(options.routes);
  const handlers = new Map<Area, HttpHandler>();
  for (const [area, operations] of Object.entries(options.areas) as Array<[Area, Operation[]]>) {
    handlers.set(area, createAreaHandler(operations, options.deps));
  }
  const limit = options.maxBodyBytes ?? LAMBDA_MAX_BODY_BYTES;
  const drainLimit = Math.max(limit, options.maxDrainBytes ?? 64 * 1024 * 1024);

  const handle = async (req: IncomingMessage): Promise<HandlerResult> => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const method = (req.method ?? 'GET').toUpperCase();
    if (method === 'OPTIONS') return { statusCode: 204 };
    const dev = options.devRoutes?.[`${method} ${url.pathname}`];
    if (dev) {
      const { status, body } = await dev();
      return { statusCode: status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) };
    }
    const found = match(method, url.pathname);
    if (found.kind === 'none') throw new NotFound(`No route for ${method} ${url.pathname}`);
    if (found.kind === 'method-not-allowed') throw new MethodNotAllowed(found.allowed);
    const headers = headersOf(req);
    let claims: Record<string, unknown> | undefined;
    if (found.spec.auth === 'jwt') {
      const bearer = /^Bearer\s+(.+)$/i.exec(headers.authorization ?? '')?.[1];
      if (!bearer) throw new Unauthorized();
      try {
        claims = (await verifyToken(options.keys, bearer)) as Record<string, unknown>;
      } catch {
        throw new Unauthorized('The bearer token is invalid or expired');
      }
    }
    const handler = handlers.get(found.spec.area);
    if (!handler) throw new NotFound(`No handler for area ${found.spec.area}`);
    // Every command's body is read (a route that takes none still refuses what is not JSON); a GET's is not.
    const body = method === 'GET' || method === 'HEAD' ? '' : await readBody(req, limit, drainLimit);
    const now = new Date();
    // As API Gateway does: the route key names the method asked for (HEAD has routes of its own there).
    const key = routeKey({ method: method === 'HEAD' ? 'HEAD' : found.spec.method, path: found.spec.path });
    const event: HttpEvent = {
      version: '2.0',
      routeKey: key,
      rawPath: url.pathname,
      rawQueryString: url.search.slice(1),
      headers,
      ...(queryOf(url.searchParams) ? { queryStringParameters: queryOf(url.searchParams) } : {}),
      pathParameters: found.pathParameters,
      body: body.length > 0 ? body : undefined,
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: { method, path: url.pathname, protocol: 'HTTP/1.1', sourceIp: req.socket.remoteAddress ?? '127.0.0.1', userAgent: headers['user-agent'] ?? '' },
        requestId: randomUUID(),
        routeKey: key,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims, scopes: [] } } } : {}),
      },
    } as HttpEvent;
    return timedInvocation(options.onInvoke, `keiro-${found.spec.area}`, () => handler(event), headers['x-correlation-id']);
  };

  /** `unread`: how a connection whose body was refused unread ends: cut (past the drain limit), or a lingering close. */
  const respond = (req: IncomingMessage, res: ServerResponse, work: Promise<HandlerResult>, unread: 'cut' | 'linger' = 'cut'): void => {
    work
      .catch((error: unknown) => problemResponse(error))
      .then((result) => {
        const headers: Record<string, string> = { ...CORS_HEADERS, ...((result.headers ?? {}) as Record<string, string>) };
        // A body refused past the drain limit may still be on its way: once the answer is out, cut it off.
        if (headers.Connection === 'close' && !req.complete && unread === 'cut') res.once('finish', () => req.socket.destroy());
        // Every answer says its length, as API Gateway's do (a HEAD's handler already gave the GET's).
        if (!Object.keys(headers).some((name) => name.toLowerCase() === 'content-length')) headers['content-length'] = String(Buffer.byteLength(result.body ?? ''));
        res.writeHead(result.statusCode ?? 200, headers);
        res.end(result.body ?? '');
      })
      .catch(() => res.destroy());
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => respond(req, res, handle(req)));
  // A client that asks first (`Expect: 100-continue`, as curl does for large bodies) learns of a body
  // over the limit before sending it (RFC 9110 section 10.1.1); otherwise it is told to go on.
  server.on('checkContinue', (req: IncomingMessage, res: ServerResponse) => {
    if (Number(req.headers['content-length']) > limit) {
      closeWithoutReset(req, drainLimit);
      return respond(req, res, Promise.reject(payloadTooLarge(limit)), 'linger');
    }
    res.writeContinue();
    respond(req, res, handle(req));
  });
  server.keepAliveTimeout = 5_000;

  return {
    server,
    listen: (port, host = '127.0.0.1') =>
      new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const address = server.address() as AddressInfo;
          resolve(`http://${host}:${address.port}`);
        });
      }),
    // Stops accepting, lets in-flight requests finish (nothing acknowledged is lost), then closes.
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      }),
  };
};
