// A signed-up person driving the Node host over HTTP, as the browser
// would (cookie, CSRF token, Origin): the import benches' client.

export type Session = { cookie: string; csrf: string; workspaceId: string };

export async function signUp(base: string, who: { email: string; name: string; workspaceName: string }): Promise<Session> {
  const res = await fetch(`${base}/api/auth/sign-up`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: base },
    body: JSON.stringify({ ...who, password: 'a long bench passphrase' }),
  });
  if (res.status !== 201) throw new Error(`sign-up answered ${res.status}`);
  const cookie = res.headers.get('set-cookie')!.split(';')[0]!;
  const session = (await (await fetch(`${base}/api/auth/session`, { headers: { cookie } })).json()) as { csrfToken: string; workspace: { id: string } };
  return { cookie, csrf: session.csrfToken, workspaceId: session.workspace.id };
}

export async function api(base: string, s: Session, method: string, path: string, body?: string, type = 'application/json') {
  const send = () => fetch(`${base}${path}`, { method, headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, origin: base, 'content-type': type }, body });
  // A poll can meet a kept-alive connection the server is just closing
  // (ECONNRESET); a read is safe to send again.
  const res = await send().catch((error) => (method === 'GET' ? send() : Promise.reject(error)));
  const json = (await res.json()) as Record<string, any>;
  if (res.status >= 300) throw new Error(`${method} ${path} answered ${res.status}: ${JSON.stringify(json)}`);
  return json;
}
