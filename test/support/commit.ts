import { execFileSync } from 'node:child_process';

/** The commit a report was made at, and whether the tree had changes beside it (`report` itself aside). */
export function commit(root: string, report?: string): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
    const paths = report ? ['--', '.', `:!${report}`] : [];
    const dirty = execFileSync('git', ['status', '--porcelain', ...paths], { cwd: root, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} with uncommitted changes` : head;
  } catch {
    return 'unknown';
  }
}
