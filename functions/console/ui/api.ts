/// <reference lib="dom" />
/** The console's only way to the server: the public HTTP API, as any front-end would call it. */

export interface Problem {
  status: number;
  title?: string;
  detail?: string;
  errors?: Array<{ path: string; message: string }>;
}

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail ?? problem.title ?? `HTTP ${problem.status}`);
  }
  /** Field errors by component id (`values.<id>` paths), for the screen renderer. */
  byComponent(): Record<string, string> {
    const out: Record<string, string> = {};
    for (const e of this.problem.errors ?? []) {
      const id = e.path.replace(/^(values|fields)\./, '');
      out[id] = out[id] ? `${out[id]}; ${e.message}` : e.message;
    }
    return out;
  }
}

/** Relative URLs: the console works behind any base path (an API Gateway stage, a custom domain). */
export const call = async <T>(token: string | null, method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<T> => {
  const headers: Record<string, string> = { ...extraHeaders };
  if (token) headers.authorization = `Bearer ${token}`;
  if (body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(path.replace(/^\//, ''), { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
  const text = await res.text();
  const parsed = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) throw new ApiError({ status: res.status, ...((parsed as object) ?? {}) });
  return parsed as T;
};

/** A non-JSON resource (e.g. the journey paths SVG) fetched with the token, so it never shows as a raw 401. */
export const callText = async (token: string, path: string): Promise<string> => {
  const res = await fetch(path.replace(/^\//, ''), { headers: { authorization: `Bearer ${token}` } });
  const text = await res.text();
  if (!res.ok) throw new ApiError({ status: res.status, ...(res.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as object) : {}) });
  return text;
};
