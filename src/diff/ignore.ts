import { UsageError } from '../model/errors.js';
import { checkFieldPath, isWithin } from './field-path.js';

/**
 * `--ignore [ROUTE@]PATH`: drops a field everywhere, or on one route, before anything is
 * counted. PATH is a path exactly as the report prints it (and everything below it: `body.user`
 * drops `body.user.created_at`); ROUTE is a route as printed (`GET /api/me`), or just its path
 * (`/api/me`) for every method.
 */
export interface IgnoreRule {
  route?: string;
  path: string;
}

const ROUTED = /^((?:[A-Za-z]+\s+)?\/[^@]*)@(.+)$/;

export function parseIgnore(spec: string): IgnoreRule {
  const m = ROUTED.exec(spec.trim());
  const route = m ? m[1]!.trim().replace(/\s+/, ' ') : undefined;
  const path = m ? m[2]! : spec.trim();
  try {
    checkFieldPath(path);
  } catch (error) {
    throw new UsageError(`bad --ignore "${spec}": ${(error as Error).message}`);
  }
  return route === undefined ? { path } : { route: methodUpper(route), path };
}

export class IgnoreRules {
  private readonly rules: IgnoreRule[];

  constructor(specs: readonly string[] = []) {
    this.rules = specs.map(parseIgnore);
  }

  ignores(route: string, path: string): boolean {
    return this.rules.some((r) => (r.route === undefined || routeMatches(r.route, route)) && isWithin(path, r.path));
  }
}

/** `GET /a` matches `GET /a` only; `/a` matches it under any method. */
function routeMatches(rule: string, route: string): boolean {
  return rule.startsWith('/') ? route.slice(route.indexOf(' ') + 1) === rule : rule === route;
}

function methodUpper(route: string): string {
  const space = route.indexOf(' ');
  return space < 0 ? route : route.slice(0, space).toUpperCase() + route.slice(space);
}
