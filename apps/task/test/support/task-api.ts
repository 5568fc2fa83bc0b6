/** What the task API answered: status, parsed body and Location. */
export interface TaskApiAnswer<T> {
  status: number;
  body: T;
  location: string | null;
}

/** One JSON request to the task API at `base`, as `token`'s bearer. */
export async function callTaskApi<T>(
  base: string,
  token: string,
  method: string,
  route: string,
  body?: unknown,
): Promise<TaskApiAnswer<T>> {
  const res = await fetch(`${base}/task/v1${route}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T, location: res.headers.get('location') };
}
