export interface HttpAnswer<T = unknown> {
  status: number;
  contentType: string | null;
  body: T;
}

/** One real HTTP request with a JSON body (or none); the answer's body parsed as JSON when it is JSON. */
export async function request<T = unknown>(method: string, url: string, body?: unknown, headers: Record<string, string> = {}): Promise<HttpAnswer<T>> {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? headers : { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  const contentType = response.headers.get('content-type');
  return { status: response.status, contentType, body: (contentType?.includes('json') ? JSON.parse(text) : text) as T };
}

export const getJson = <T = unknown>(url: string) => request<T>('GET', url);
export const postJson = <T = unknown>(url: string, body: unknown, headers?: Record<string, string>) => request<T>('POST', url, body, headers);
