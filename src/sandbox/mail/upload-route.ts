/**
 * outlook.office.com/api/v2.0/Users('…')/Messages('…')/AttachmentSessions('…')?authtoken=…: the
 * pre-authenticated upload URL of a large attachment. The authtoken is the credential; a Graph token
 * in an Authorization header is for another audience and is refused, as the docs warn.
 */
import type { World } from '../world.js';
import { emptyReply, jsonReply, type Reply, type RequestContext } from '../http.js';

export function isAttachmentSessionPath(host: string, path: string): boolean {
  return host === 'outlook.office.com' && /^\/api\/v2\.0\/Users\(.+\)\/Messages\(.+\)\/AttachmentSessions\('[^']+'\)$/i.test(path);
}

export function attachmentSessionHandler(ctx: RequestContext, world: World): Reply {
  const sessionId = ctx.path.match(/AttachmentSessions\('([^']+)'\)$/i)?.[1] ?? '';
  const state = world.data.tokens.open<{ s: string; m: string }>('attachment-session', ctx.url.searchParams.get('authtoken') ?? '');
  if (ctx.header('authorization')) {
    return jsonReply(401, { error: { code: 'InvalidAudience', message: "The audience claim value is invalid for current resource. Audience claim is 'https://graph.microsoft.com', request url is 'https://outlook.office.com/api/v2.0/…'." } });
  }
  const session = state?.s === sessionId ? world.data.uploads.get(sessionId) : undefined;
  if (!state || !session) return jsonReply(404, { error: { code: 'ErrorItemNotFound', message: 'The upload session was not found or has expired.' } });
  switch (ctx.method) {
    case 'PUT':
      return world.data.uploads.put(ctx, session);
    case 'GET':
      return jsonReply(200, { ExpirationDateTime: session.expires.toISOString(), NextExpectedRanges: [`${session.writer.length}-`] });
    case 'DELETE':
      world.data.uploads.cancel(sessionId);
      return emptyReply(204);
    default:
      return emptyReply(405);
  }
}
