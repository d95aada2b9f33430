/** graph.microsoft.com: routes /v1.0 (and /beta, treated alike) to the resource handlers. */
import { unparenthesise } from '../data/classify.js';
import type { Reply, RequestContext } from '../http.js';
import type { World } from '../world.js';
import { applications } from './applications.js';
import { authenticateGraph, badRequest, isCaller } from './common.js';
import { servicePrincipals } from './service-principals.js';
import { sites } from './sites.js';
import { drives, siteDrives, siteDrivesPath } from '../drives/graph.js';
import { me, organization, users } from './users.js';

export function graphHandler(ctx: RequestContext, world: World): Reply {
  const m = ctx.path.match(/^\/(v1\.0|beta)(\/.*)?$/);
  if (!m) return badRequest(ctx, `Invalid version: ${ctx.path.split('/')[1] ?? ''}`, 'BadRequest');
  // Graph writes links as users('id')/mailFolders('id'); clients may send either spelling.
  const path = unparenthesise(m[2] ?? '').replace(/\/+$/, '');
  const caller = authenticateGraph(ctx, world);
  if (!isCaller(caller)) return caller;

  const top = path.match(/^\/([A-Za-z]+)(.*)$/);
  const collection = top?.[1]?.toLowerCase();
  const rest = top?.[2] ?? '';
  const segments = rest.split('/').filter(Boolean);
  switch (collection) {
    case 'serviceprincipals':
      return servicePrincipals(ctx, world, caller, rest);
    case 'applications':
      return applications(ctx, world, caller, rest);
    case 'users':
      return users(ctx, world, caller, segments);
    case 'me':
      return me(ctx, world, caller, segments);
    case 'organization':
      return organization(ctx, caller);
    case 'sites': {
      const driveRoute = siteDrivesPath(rest);
      return driveRoute ? siteDrives(ctx, world, caller, driveRoute) : sites(ctx, world, caller, rest);
    }
    case 'drives':
      return drives(ctx, world, caller, rest);
    default:
      return badRequest(ctx, `Resource not found for the segment '${path.split('/')[1] ?? ''}'.`, 'BadRequest');
  }
}
