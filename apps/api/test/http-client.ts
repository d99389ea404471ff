// An HTTP client for a running platform (browser journeys, the crash test, the import benchmark):
// keeps its own session cookie and sends the session's CSRF token on unsafe requests.

export class ApiError extends Error {
  readonly status: number;
  readonly body: unknown;
  constructor(method: string, url: string, status: number, body: unknown) {
    super(`${method} ${url} → ${status}: ${JSON.stringify(body)}`);
    this.status = status;
    this.body = body;
  }
}

export class HttpClient {
  readonly base: string;
  private cookie = '';
  private csrf = '';
  constructor(base: string) {
    this.base = base;
  }

  /** JSON bodies are serialised; a Buffer is sent as it is (a multipart upload, with its headers). */
  async request<T = unknown>(
    method: string,
    url: string,
    body?: unknown,
    extraHeaders: Record<string, string> = {},
  ): Promise<T> {
    const headers: Record<string, string> = { ...extraHeaders };
    if (this.cookie) headers.cookie = this.cookie;
    let payload: Uint8Array | string | undefined;
    if (Buffer.isBuffer(body)) payload = new Uint8Array(body);
    else if (body !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(body);
    }
    if (method !== 'GET' && method !== 'HEAD' && this.csrf) headers['x-csrf-token'] = this.csrf;
    const r = await fetch(`${this.base}${url}`, { method, headers, body: payload });
    for (const c of r.headers.getSetCookie()) {
      const [pair] = c.split(';');
      if (pair?.startsWith('dtp_session=') || pair?.startsWith('__Host-dtp_session=')) {
        this.cookie = pair.endsWith('=') ? '' : pair;
      }
    }
    const text = await r.text();
    const data =
      text && r.headers.get('content-type')?.includes('json') ? (JSON.parse(text) as unknown) : text;
    if (!r.ok) throw new ApiError(method, url, r.status, data);
    return data as T;
  }

  get = <T = unknown>(url: string) => this.request<T>('GET', url);
  post = <T = unknown>(url: string, body: unknown = {}) => this.request<T>('POST', url, body);
  patch = <T = unknown>(url: string, body: unknown) => this.request<T>('PATCH', url, body);
  put = <T = unknown>(url: string, body: unknown) => this.request<T>('PUT', url, body);

  /** Signs in and picks up the session's CSRF token from GET /api/auth/me. */
  async signIn(email: string, password: string): Promise<{ stage: string }> {
    const result = await this.post<{ stage: string }>('/api/auth/sign-in', { email, password });
    this.csrf = (await this.get<{ csrfToken: string }>('/api/auth/me')).csrfToken;
    return result;
  }
}
