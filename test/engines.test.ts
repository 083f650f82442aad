import { readFileSync } from 'node:fs';
import semver from 'semver';
import { describe, expect, it } from 'vitest';

type LockedPackage = { version?: string; engines?: { node?: string } | string[] };

/** Every package `npm ci` installs, from the lock file at the repository's root. */
const locked: Record<string, LockedPackage> = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8')).packages;

/** Its `engines.node`, when it states one (a few old packages state engines as a list). */
const nodeRange = (pkg: LockedPackage) => (Array.isArray(pkg.engines) ? undefined : pkg.engines?.node);

/**
 * The project runs on Node 20 (`engines` of package.json), and `npm ci` must print no EBADENGINE
 * warning there: a dependency whose newest release asks for a later Node is pinned or overridden
 * (package.json `overrides`) to one that still runs on 20.
 */
describe('the locked dependencies', () => {
  it('all run on Node 20', () => {
    const refused = Object.entries(locked)
      .filter(([, pkg]) => {
        const range = nodeRange(pkg);
        return range !== undefined && !semver.intersects(range, '^20.0.0');
      })
      .map(([path, pkg]) => `${path}@${pkg.version}: node ${nodeRange(pkg)}`);
    expect(refused).toEqual([]);
  });
});
